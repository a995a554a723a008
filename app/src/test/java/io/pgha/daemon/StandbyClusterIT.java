package io.pgha.daemon;

import io.pgha.cli.CliRun;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standby cluster of two nodes following a three-node primary cluster (real PostgreSQL and etcd):
 * it clones the primary, replicates and cascades, fails over inside itself without ever writing,
 * follows the primary cluster across the primary cluster's own failover, and becomes a normal
 * cluster only when an operator removes {@code standby_cluster}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyClusterIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static LocalCluster source;
    static LocalCluster standby;

    @BeforeAll
    static void start() throws Exception {
        source = new LocalCluster(3, "fast", "");
        source.startAll();
        LocalNode primary = source.awaitHealthy(BOOT);
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rows (id int PRIMARY KEY, at timestamptz DEFAULT now())");
            st.execute("INSERT INTO rows (id) SELECT generate_series(1, 100)");
        }
        // Every member of the source: libpq picks the one that is primary, before and after its failover.
        String hosts = source.nodes.stream().map(n -> "127.0.0.1").collect(Collectors.joining(","));
        String ports = source.nodes.stream().map(n -> Integer.toString(n.pgPort())).collect(Collectors.joining(","));
        standby = new LocalCluster(2, "fast", "standby_cluster:\n  host: " + hosts + "\n  port: \"" + ports + "\"", source.etcd);
        standby.startAll();
    }

    @AfterAll
    static void stop() {
        if (standby != null) {
            standby.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    @Order(1)
    void theStandbyClusterClonesTheSourceAndCascadesReadOnly() throws Exception {
        LocalNode leader = awaitStandbyLeader(BOOT);
        LocalNode other = other(leader);
        standby.dumpOnFailure(() -> {
            standby.awaitReplica(other, BOOT);
            return null;
        });
        assertThat(standby.nodes).allSatisfy(n -> assertThat(n.restStatus(standby.http, "GET", "/primary"))
                .as(n.name() + " /primary").isEqualTo(503));
        JsonObject status = new JsonObject(leader.restBody(standby.http, "/patroni").orElseThrow());
        assertThat(status.getString("role")).isEqualTo("standby_leader");
        assertThat(leader.restStatus(standby.http, "GET", "/replica")).as("a standby leader is no replica, as in Patroni").isEqualTo(503);
        assertThat(leader.restStatus(standby.http, "GET", "/read-only")).isEqualTo(200);
        assertThat(leader.restBody(standby.http, "/metrics").orElseThrow()).contains("patroni_standby_leader{scope=\"" + standby.scope
                + "\",name=\"" + leader.name() + "\"} 1");

        insert(source.awaitPrimary(BOOT), 101);
        for (LocalNode n : standby.nodes) {
            awaitRow(n, 101, BOOT);
            assertThat(inRecovery(n)).as(n.name() + " read-only").isTrue();
        }
        assertThat(systemId(standby.nodes.get(0))).as("a copy of the source, not a cluster of its own").isEqualTo(systemId(source.awaitPrimary(BOOT)));
    }

    @Test
    @Order(2)
    void whenTheStandbyLeaderDiesTheOtherMemberTakesOverAndStillOnlyReplicates() throws Exception {
        LocalNode leader = awaitStandbyLeader(BOOT);
        LocalNode other = other(leader);
        standby.crash(leader);

        LocalNode next = awaitStandbyLeader(Duration.ofSeconds(60));
        assertThat(next.name()).isEqualTo(other.name());
        assertThat(inRecovery(next)).as("a standby leader never promotes").isTrue();
        insert(source.awaitPrimary(BOOT), 102);
        awaitRow(next, 102, BOOT);

        standby.start(leader);
        standby.dumpOnFailure(() -> {
            standby.awaitReplica(leader, BOOT);
            return null;
        });
        awaitRow(leader, 102, BOOT);
    }

    @Test
    @Order(3)
    void theStandbyClusterFollowsTheSourceAcrossItsFailover() throws Exception {
        LocalNode oldPrimary = source.awaitPrimary(BOOT);
        source.crash(oldPrimary);
        LocalNode newPrimary = source.dumpOnFailure(() -> Await.value("a new source primary", Duration.ofSeconds(60),
                () -> source.nodes.stream().filter(n -> n != oldPrimary && n.restStatus(source.http, "GET", "/primary") == 200).findFirst()));
        insert(newPrimary, 103);
        for (LocalNode n : standby.nodes) {
            awaitRow(n, 103, BOOT);
        }
        LocalNode leader = awaitStandbyLeader(BOOT);
        long sourceTimeline = timeline(newPrimary);
        standby.dumpOnFailure(() -> {
            Await.until("the standby leader receiving on the source's new timeline " + sourceTimeline, BOOT, () -> {
                try {
                    return timeline(leader) == sourceTimeline;
                } catch (SQLException e) {
                    return false;
                }
            });
            return null;
        });
    }

    @Test
    @Order(4)
    void aSwitchoverInsideTheStandbyClusterMovesTheStandbyLeaderAndNobodyPromotes() throws Exception {
        LocalNode leader = awaitStandbyLeader(BOOT);
        LocalNode candidate = other(leader);
        CliRun r = CliRun.pgha("switchover", "--candidate", candidate.name(), "--force", "-c", leader.config().toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Successfully switched over to \"" + candidate.name() + "\"");
        assertThat(awaitStandbyLeader(BOOT).name()).isEqualTo(candidate.name());
        assertThat(inRecovery(candidate)).as("the new standby leader still only replicates").isTrue();
        assertThat(inRecovery(leader)).isTrue();
        insert(source.awaitPrimary(BOOT), 104);
        awaitRow(candidate, 104, BOOT);
        standby.dumpOnFailure(() -> {
            standby.awaitReplica(leader, BOOT);
            return null;
        });
        awaitRow(leader, 104, BOOT);
        Await.until(leader.name() + " streaming from the new standby leader", BOOT, () -> {
            try {
                return queryLong(leader, "SELECT coalesce(max(sender_port), 0) FROM pg_stat_wal_receiver") == candidate.pgPort();
            } catch (SQLException e) {
                return false;
            }
        });
    }

    @Test
    @Order(5)
    void removingStandbyClusterPromotesItsLeaderOnANewTimeline() throws Exception {
        LocalNode leader = awaitStandbyLeader(BOOT);
        long before = timeline(leader);
        HttpResponse<String> r = standby.http.send(HttpRequest.newBuilder(URI.create(leader.restUrl() + "/config"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"standby_cluster\": null}"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        LocalNode promoted = standby.dumpOnFailure(() -> standby.awaitPrimary(Duration.ofSeconds(60)));
        assertThat(promoted.name()).isEqualTo(leader.name());
        assertThat(timeline(promoted)).isGreaterThan(before);
        insert(promoted, 200);
        LocalNode replica = other(promoted);
        awaitRow(replica, 200, BOOT);
        assertThat(count(promoted)).as("the source's 104 rows and its own first").isEqualTo(105);
    }

    private static LocalNode awaitStandbyLeader(Duration timeout) {
        return standby.dumpOnFailure(() -> Await.value("exactly one node answering 200 on /standby-leader", timeout, () -> {
            List<LocalNode> leaders = standby.nodes.stream().filter(n -> standby.daemons.containsKey(n.name())
                    && n.restStatus(standby.http, "GET", "/standby-leader") == 200).toList();
            return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
        }));
    }

    private static LocalNode other(LocalNode n) {
        return standby.nodes.stream().filter(x -> x != n).findFirst().orElseThrow();
    }

    private static void insert(LocalNode primary, int id) throws SQLException {
        try (Connection c = source.connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO rows (id) VALUES (" + id + ")");
        }
    }

    private static void awaitRow(LocalNode n, int id, Duration timeout) {
        standby.dumpOnFailure(() -> {
            Await.until("row " + id + " on " + n.name(), timeout, () -> {
                try (Connection c = standby.connect(n); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM rows WHERE id = " + id)) {
                    return rs.next() && rs.getInt(1) == 1;
                } catch (SQLException e) {
                    return false;
                }
            });
            return null;
        });
    }

    private static boolean inRecovery(LocalNode n) throws SQLException {
        return queryLong(n, "SELECT pg_is_in_recovery()::int") == 1;
    }

    /** The timeline a standby receives on, or a primary writes on. */
    private static long timeline(LocalNode n) throws SQLException {
        return inRecovery(n) ? queryLong(n, "SELECT coalesce(max(received_tli), 0) FROM pg_stat_wal_receiver")
                : queryLong(n, "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int");
    }

    private static long count(LocalNode n) throws SQLException {
        return queryLong(n, "SELECT count(*) FROM rows");
    }

    private static String systemId(LocalNode n) throws SQLException {
        return Long.toString(queryLong(n, "SELECT system_identifier FROM pg_control_system()"));
    }

    private static long queryLong(LocalNode n, String sql) throws SQLException {
        try (Connection c = standby.connect(n); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
