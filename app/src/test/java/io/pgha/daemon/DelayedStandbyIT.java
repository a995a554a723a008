package io.pgha.daemon;

import io.pgha.cli.CliRun;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delayed replica: a one-node standby cluster with {@code recovery_min_apply_delay}. A committed
 * row is received at once but becomes visible only once the delay has passed.
 */
class DelayedStandbyIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration DELAY = Duration.ofSeconds(4);
    static LocalCluster source;
    static LocalCluster delayed;

    @BeforeAll
    static void start() throws Exception {
        source = new LocalCluster(1, "fast", "");
        source.startAll();
        LocalNode primary = source.awaitPrimary(BOOT);
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rows (id int PRIMARY KEY)");
        }
        delayed = new LocalCluster(1, "fast", "standby_cluster:\n  host: 127.0.0.1\n  port: " + primary.pgPort()
                + "\n  recovery_min_apply_delay: " + DELAY.toSeconds() + "s", source.etcd);
        delayed.startAll();
    }

    @AfterAll
    static void stop() {
        if (delayed != null) {
            delayed.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aRowIsReceivedAtOnceButShownOnlyAfterTheDelay() throws Exception {
        LocalNode standby = delayed.nodes.get(0);
        delayed.dumpOnFailure(() -> {
            Await.until("the delayed standby leading its cluster", BOOT, () -> standby.restStatus(delayed.http, "GET", "/standby-leader") == 200);
            return null;
        });
        // The table itself comes through the delay too.
        Await.until("table rows on the delayed standby", BOOT, () -> rows(standby).isPresent());

        LocalNode primary = source.nodes.get(0);
        // A first commit replayed: from then on the standby has a commit time to measure its delay from.
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE warm_up ()");
        }
        Await.until("a first commit replayed on the delayed standby", BOOT, () -> hasTable(standby, "warm_up"));

        long committedAt;
        long lsn;
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO rows VALUES (1)");
            committedAt = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                lsn = rs.getLong(1);
            }
        }
        Await.until("the commit received by the delayed standby", Duration.ofSeconds(3), () -> received(standby) >= lsn);
        long receivedAfter = System.nanoTime() - committedAt;
        assertThat(rows(standby)).as("received %d ms after the commit, and not applied yet", receivedAfter / 1_000_000).contains(0L);

        // While the commit waits out the delay, pgha list says the standby leader is behind.
        Await.until("pgha list showing the standby leader's replay delay", DELAY, () -> list().contains("the standby leader replays "));
        Await.until("row 1 visible on the delayed standby", Duration.ofSeconds(30), () -> rows(standby).orElse(0L) == 1);
        long visibleAfter = System.nanoTime() - committedAt;
        System.out.printf("delayed standby: commit received after %d ms, visible after %d ms (recovery_min_apply_delay %d s)%n",
                receivedAfter / 1_000_000, visibleAfter / 1_000_000, DELAY.toSeconds());
        // The standby's own clock decides the delay; 0.5 s covers the commit timestamp preceding our nanoTime reading.
        assertThat(Duration.ofNanos(visibleAfter)).isGreaterThanOrEqualTo(DELAY.minusMillis(500));
        Await.until("pgha list showing the standby leader caught up", BOOT, () -> list().contains("the standby leader has replayed all it received"));
    }

    private static boolean hasTable(LocalNode n, String table) {
        try (Connection c = delayed.connect(n); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String list() {
        return CliRun.pgha("list", "-c", delayed.nodes.get(0).config().toString()).out();
    }

    private static Optional<Long> rows(LocalNode n) {
        try (Connection c = delayed.connect(n); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM rows")) {
            rs.next();
            return Optional.of(rs.getLong(1));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static long received(LocalNode n) {
        try (Connection c = delayed.connect(n); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(pg_last_wal_receive_lsn() - '0/0'::pg_lsn, 0)")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }
}
