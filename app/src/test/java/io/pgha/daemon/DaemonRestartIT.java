package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary's daemon killed (kill -9, as the OOM killer does) while its PostgreSQL keeps running,
 * on two real nodes with the default timing (rto norm: ttl 8 s, safety margin 2 s). Restarted at
 * once, as systemd would, it binds its leader key to its new lease and keeps leading: no write is
 * refused, no failover, the same postmaster. Left dead, the fence keeper it left behind stops its
 * PostgreSQL before the lease expires, the replica takes over, and the restarted daemon rejoins.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonRestartIT {
    static LocalCluster cluster;
    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration TTL = Duration.ofSeconds(8);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(2, "norm", "");
        cluster.startAll();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aPrimaryDaemonRestartedAtOnceKeepsLeadingAndNoWriteIsRefused() throws Exception {
        LocalNode p = cluster.awaitHealthy(BOOT);
        LocalNode replica = cluster.nodes.stream().filter(n -> n != p).findFirst().orElseThrow();
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS restart_probe (id serial PRIMARY KEY)");
        }
        long postmaster = p.postmasterPid().orElseThrow();
        long timeline = timeline(p);
        long logBefore = Files.size(p.daemonLog());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    try {
                        st.execute("INSERT INTO restart_probe DEFAULT VALUES");
                        written.incrementAndGet();
                    } catch (SQLException e) {
                        refused.incrementAndGet();
                    }
                    Thread.sleep(20); // a steady trickle of writes across the restart, not a wait for a state
                }
            } catch (SQLException e) {
                refused.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "restart-writer");
        writer.start();
        try {
            long killed = System.nanoTime();
            cluster.daemons.remove(p.name()).kill();
            cluster.start(p);
            cluster.dumpOnFailure(() -> {
                Await.until("the restarted daemon of " + p.name() + " logs that it took its key over", BOOT,
                        () -> logSince(p, logBefore).contains("take over leader:"));
                return p;
            });
            cluster.dumpOnFailure(() -> {
                Await.until(p.name() + " answering 200 on /primary again", BOOT,
                        () -> p.restStatus(cluster.http, "GET", "/primary") == 200);
                return p;
            });
            // The killed run's lease runs out within ttl of the kill: had the key gone with it, the replica
            // would race. Writing on through that whole lifetime is what the test claims, so it is held.
            long left = killed + TTL.plusSeconds(2).toNanos() - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        String log = logSince(p, logBefore);
        assertThat(log).contains("the leader key is bound to my lease").doesNotContain("demote:").doesNotContain("fenced:");
        assertThat(refused.get()).as("writes refused across the daemon's restart (%d written)", written.get()).isZero();
        assertThat(p.postmasterPid()).as("the same postmaster").contains(postmaster);
        assertThat(timeline(p)).as("no promotion anywhere: the same timeline").isEqualTo(timeline);
        assertThat(replica.restStatus(cluster.http, "GET", "/primary")).isEqualTo(503);
        cluster.awaitReplica(replica, BOOT);
    }

    @Test
    @Order(2)
    void aPrimaryDaemonLeftDeadIsFencedByItsKeeperBeforeTheReplicaTakesOver() throws Exception {
        LocalNode p = cluster.awaitHealthy(BOOT);
        LocalNode replica = cluster.nodes.stream().filter(n -> n != p).findFirst().orElseThrow();
        ChildProcess daemon = cluster.daemons.remove(p.name());
        long killed = System.nanoTime();
        daemon.kill();
        // Nothing in the JVM is left to stop PostgreSQL: only the keeper outside it can.
        Await.until("the orphaned primary " + p.name() + " stopped", TTL, () -> p.postmasterPid().isEmpty());
        double stoppedAfter = (System.nanoTime() - killed) / 1e9;
        cluster.dumpOnFailure(() -> {
            Await.until(replica.name() + " answering 200 on /primary", BOOT, () -> replica.restStatus(cluster.http, "GET", "/primary") == 200);
            return replica;
        });
        assertThat(p.postmasterPid()).as("the old primary stays down while the replica leads").isEmpty();
        System.out.printf("orphaned primary stopped by the fence keeper %.2f s after its daemon was killed (ttl %d s)%n", stoppedAfter,
                TTL.toSeconds());

        cluster.start(p);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(p, BOOT);
            return p;
        });
    }

    private static long timeline(LocalNode n) throws SQLException {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")) {
            rs.next();
            return Long.parseLong(rs.getString(1), 16);
        }
    }

    private static String logSince(LocalNode n, long offset) {
        try {
            byte[] all = Files.readAllBytes(n.daemonLog());
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
