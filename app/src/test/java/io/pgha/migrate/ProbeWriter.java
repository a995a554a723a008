package io.pgha.migrate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client writing one row every 20 ms to whichever node is primary (libpq-style multi-host URL),
 * remembering every acknowledged id and the longest time between two acknowledgements since
 * {@link #phase()} was last asked.
 */
final class ProbeWriter implements AutoCloseable {
    private final String url;
    private final Properties login = new Properties();
    private final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicLong lastAck = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGap = new AtomicLong();
    private final Thread thread;

    ProbeWriter(String url, String password) {
        this.url = url;
        login.setProperty("user", "postgres");
        login.setProperty("password", password);
        login.setProperty("connectTimeout", "1");
        login.setProperty("socketTimeout", "3");
        thread = new Thread(this::run, "probe-writer");
        thread.setDaemon(true);
    }

    ProbeWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        long id = 0;
        Connection c = null;
        while (writing.get()) {
            try {
                if (c == null) {
                    c = DriverManager.getConnection(url, login);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO migration_probe VALUES (" + (++id) + ")");
                }
                acknowledged.add(id);
                long now = System.nanoTime();
                long gap = now - lastAck.getAndSet(now);
                longestGap.accumulateAndGet(gap, Math::max);
            } catch (SQLException e) {
                close(c);
                c = null;
            }
            pause(20);
        }
        close(c);
    }

    /** The longest gap between acknowledged writes since the previous call, in milliseconds; starts the next phase. */
    long phase() {
        long now = System.nanoTime();
        long open = now - lastAck.get(); // a gap still open counts too
        return Math.max(longestGap.getAndSet(0), open) / 1_000_000;
    }

    Set<Long> acknowledged() {
        return acknowledged;
    }

    int count() {
        return acknowledged.size();
    }

    @Override
    public void close() {
        writing.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection has nothing left to close
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // pacing the writer, not waiting for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
