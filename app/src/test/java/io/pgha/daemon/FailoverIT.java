package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes (pgha daemon + PostgreSQL 15) on a real 3-member etcd, rto fast: bootstrap,
 * streaming replicas with slots, node crash failover with no loss of replicated rows, rejoin of the
 * old primary through pg_rewind, and a PostgreSQL-only crash restarted in place. One cluster, one
 * life, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
    static LocalCluster cluster;
    static LocalNode primary;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration FAILOVER = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "");
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
    void bootstrapsOnePrimaryAndTwoReplicasStreamingThroughSlots() throws Exception {
        primary = cluster.awaitHealthy(BOOT);
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            List<String> streaming = strings(st, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1");
            assertThat(streaming).hasSize(2).doesNotContain(primary.name());
            List<String> activeSlots = strings(st, "SELECT slot_name FROM pg_replication_slots WHERE active ORDER BY 1");
            assertThat(activeSlots).containsExactlyElementsOf(streaming);
            assertThat(strings(st, "SHOW data_checksums")).containsExactly("on");
        }
        for (LocalNode n : cluster.nodes) {
            assertThat(cluster.node(n.name()).restStatus(cluster.http, "GET", "/health")).isEqualTo(200);
            int expectedPrimary = n == primary ? 200 : 503;
            assertThat(n.restStatus(cluster.http, "OPTIONS", "/primary")).as(n.name() + " OPTIONS /primary").isEqualTo(expectedPrimary);
            assertThat(n.restStatus(cluster.http, "GET", "/leader")).as(n.name() + " /leader").isEqualTo(expectedPrimary);
            assertThat(n.restStatus(cluster.http, "GET", "/replica")).as(n.name() + " /replica").isEqualTo(n == primary ? 503 : 200);
        }
    }

    @Test
    @Order(2)
    void nodeCrashPromotesAReplicaThatKeepsReplicatedRowsAndTakesWrites() throws Exception {
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE acked (id int PRIMARY KEY)");
            st.execute("INSERT INTO acked SELECT generate_series(1, 1000)");
        }
        awaitReplayedEverywhere("acked", 1000);
        LocalNode old = primary;
        cluster.crash(old);
        LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
        assertThat(promoted).isNotEqualTo(old);
        try (Connection c = cluster.connect(promoted); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM acked")).isEqualTo(1000);
            st.execute("INSERT INTO acked VALUES (1001)");
            assertThat(count(st, "SELECT count(*) FROM acked")).isEqualTo(1001);
            assertThat(count(st, "SELECT timeline_id FROM pg_control_checkpoint()")).as("new timeline").isEqualTo(2);
        }
        LocalNode other = cluster.nodes.stream().filter(n -> n != old && n != promoted).findFirst().orElseThrow();
        cluster.dumpOnFailure(() -> {
            Await.until(other.name() + " streams from the new primary", FAILOVER, () -> streamsFrom(promoted, other));
            return null;
        });
        primary = promoted;
    }

    @Test
    @Order(3)
    void crashedOldPrimaryRejoinsAsReplicaThroughPgRewind() throws Exception {
        LocalNode old = cluster.nodes.stream().filter(n -> !cluster.daemons.containsKey(n.name())).findFirst().orElseThrow();
        // It crashed as primary on timeline 1 while the cluster moved on to 2: the rejoin path runs pg_rewind.
        cluster.start(old);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(old, BOOT);
            return null;
        });
        cluster.dumpOnFailure(() -> {
            Await.until(old.name() + " streams from " + primary.name(), FAILOVER, () -> streamsFrom(primary, old));
            return null;
        });
        assertThat(Files.readString(old.daemonLog())).contains("pg_rewind from " + primary.name() + " done");
        try (Connection c = cluster.connect(old); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM acked")).isEqualTo(1001);
        }
    }

    @Test
    @Order(4)
    void postgresCrashOnThePrimaryIsRestartedInPlaceWithinPrimaryStartTimeout() throws Exception {
        LocalNode p = primary;
        long timelineBefore;
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            timelineBefore = count(st, "SELECT timeline_id FROM pg_control_checkpoint()");
        }
        long pidBefore = p.postmasterPid().orElseThrow();
        p.killPostgres();
        Await.until("/primary of " + p.name() + " turns 503 once PostgreSQL is dead", Duration.ofSeconds(5),
                () -> p.restStatus(cluster.http, "GET", "/primary") == 503 || p.postmasterPid().filter(x -> x != pidBefore).isPresent());
        LocalNode after = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
        assertThat(after).as("restarted in place, no failover").isEqualTo(p);
        assertThat(p.postmasterPid()).isPresent().get().isNotEqualTo(pidBefore);
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT timeline_id FROM pg_control_checkpoint()")).as("same timeline").isEqualTo(timelineBefore);
            st.execute("INSERT INTO acked VALUES (2001)");
        }
    }

    @Test
    @Order(5)
    void aSecondDaemonWithALiveMembersNameIsRefused() throws Exception {
        LocalNode live = cluster.nodes.get(1);
        LocalNode twin = new LocalNode(cluster.scope, live.name(), Ports.free(), Ports.free(),
                cluster.dir.resolve("twin"));
        twin.prepare(cluster.etcd.hosts(), "fast", "", "");
        ChildProcess p = twin.start(LocalCluster.java());
        try {
            assertThat(p.waitForExit(Duration.ofSeconds(30))).as("twin exits").isTrue();
            assertThat(p.exitCode()).isEqualTo(1);
            assertThat(Files.readString(twin.daemonLog())).contains("a live member named " + live.name() + " already runs");
            assertThat(twin.dataDir()).doesNotExist();
        } finally {
            p.kill();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static boolean streamsFrom(LocalNode primary, LocalNode replica) {
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming' AND application_name = '" + replica.name() + "'")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    private static void awaitReplayedEverywhere(String table, long rows) {
        for (LocalNode n : cluster.nodes) {
            Await.until(n.name() + " has replayed " + rows + " rows of " + table, Duration.ofSeconds(30), () -> {
                try (Connection c = cluster.connect(n); Statement st = c.createStatement()) {
                    return count(st, "SELECT count(*) FROM " + table) == rows;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
