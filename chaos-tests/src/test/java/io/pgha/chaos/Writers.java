package io.pgha.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Clients in the root namespace writing uniquely numbered rows while faults happen:
 * <ul>
 *   <li>the <b>client</b>: one connection through the multi-host URL with
 *       {@code targetServerType=primary}, as an application would; its gaps are the RTO;</li>
 *   <li>one <b>probe</b> per node, connected to that node only: a node that accepts writes when it
 *       should not is seen even when the client is elsewhere (the split-brain detector needs it).</li>
 * </ul>
 * Each acknowledged write is recorded with the server's address and the insert timeline, both
 * returned by the INSERT itself, and its [sent, acked] interval.
 */
final class Writers implements AutoCloseable {
    static final String TABLE = "chaos_writes";
    /** The row, the committing server, and the timeline it inserts on (first 8 hex digits of the current WAL file name). */
    static final String INSERT = "INSERT INTO " + TABLE + "(id) VALUES (?) RETURNING host(inet_server_addr()),"
            + " ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";

    private final ChaosCluster cluster;
    private final long baseNanos;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Write> acked = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long lastClientAckUs = -1;

    Writers(ChaosCluster cluster, long baseNanos) {
        this.cluster = cluster;
        this.baseNanos = baseNanos;
    }

    static Properties props(int socketTimeoutSeconds) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", ChaosNode.PASSWORD);
        p.setProperty("connectTimeout", "1");
        p.setProperty("loginTimeout", "2");
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    /** Creates the table on the primary, then starts the client and the probes. */
    void start(ChaosNode primary) throws SQLException {
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), props(5)); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
        String multiHost = "jdbc:postgresql://" + cluster.nodes.stream().map(n -> n.ip() + ":" + ChaosNode.PG_PORT).collect(Collectors.joining(","))
                + "/postgres?targetServerType=primary";
        threads.add(loop("client", multiHost, 2));
        for (ChaosNode n : cluster.nodes) {
            threads.add(loop("probe-" + n.name, n.jdbcUrl(), 25));
        }
    }

    long nowUs() {
        return (System.nanoTime() - baseNanos) / 1000;
    }

    /**
     * Writes in a loop; on any error the connection is dropped and a new one made. {@code pauseMs}
     * paces the writes (the client writes as fast as it can, the probes every 25 ms), and is also
     * the back-off after a failure: it is pacing, not synchronisation.
     */
    private Thread loop(String source, String url, int pauseMs) {
        Thread t = new Thread(() -> {
            Connection c = null;
            PreparedStatement ps = null;
            while (running) {
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(url, props(2));
                        c.setAutoCommit(true);
                        ps = c.prepareStatement(INSERT);
                    }
                    long id = ids.incrementAndGet();
                    ps.setLong(1, id);
                    long sent = nowUs();
                    String server;
                    int timeline;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        server = rs.getString(1);
                        timeline = rs.getInt(2);
                    }
                    long ackedAt = nowUs();
                    String node = cluster.byIp(server).map(n -> n.name).orElse(server);
                    acked.add(new Write(id, node, timeline, sent, ackedAt, source));
                    if (source.equals("client")) {
                        lastClientAckUs = ackedAt;
                    }
                    pause(pauseMs);
                } catch (SQLException e) {
                    failures.incrementAndGet();
                    boolean readOnly = "25006".equals(e.getSQLState());
                    if (!readOnly) {
                        closeQuietly(c);
                        c = null;
                        ps = null;
                    }
                    pause(readOnly ? 50 : 100);
                }
            }
            closeQuietly(c);
        }, "writer-" + source);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void pause(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    /** Every acknowledged write so far. */
    List<Write> history() {
        return new ArrayList<>(acked);
    }

    long lastClientAckUs() {
        return lastClientAckUs;
    }

    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
