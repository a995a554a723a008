package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator operations over REST on three real nodes (rto fast): switchover to a named and to an
 * unnamed candidate with its phases, scheduled switchover, refusals that change nothing, pause and
 * resume, restart of a pending parameter change, reinitialize of a replica. One cluster, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {
    static LocalCluster cluster;
    static LocalNode leader;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration CHANGE = Duration.ofSeconds(30);

    record Answer(int status, String body) {
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "");
        cluster.startAll();
        leader = cluster.awaitHealthy(BOOT);
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE acked (id int PRIMARY KEY)");
            st.execute("INSERT INTO acked SELECT generate_series(1, 1000)");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Answer call(LocalNode n, String method, String path, String body) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(n.restUrl() + path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> resp = cluster.http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Answer(resp.statusCode(), resp.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " on " + n.name() + " failed: " + e, e);
        }
    }

    static JsonObject json(LocalNode n, String path) {
        return new JsonObject(call(n, "GET", path, null).body());
    }

    static LocalNode replicaOtherThan(LocalNode... not) {
        Set<LocalNode> excluded = Set.of(not);
        return cluster.nodes.stream().filter(n -> !excluded.contains(n)).findFirst().orElseThrow();
    }

    static int rows(LocalNode n) throws Exception {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM acked")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every other member a replica that its leader sees streaming, as published in the DCS. */
    static void awaitHealthy(LocalNode primary) {
        assertThat(cluster.awaitHealthy(CHANGE)).isEqualTo(primary);
        cluster.awaitPublishedStreaming(primary, CHANGE);
    }

    @Test
    @Order(1)
    void switchoverToANamedCandidateReportsItsPhasesAndLosesNothing() throws Exception {
        LocalNode candidate = replicaOtherThan(leader);
        long rewindsBefore = rewinds(leader);
        Answer a = call(leader, "POST", "/switchover", "{\"leader\":\"" + leader.name() + "\",\"candidate\":\"" + candidate.name() + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("Successfully switched over to \"" + candidate.name() + "\"");

        assertThat(cluster.awaitPrimary(CHANGE)).isEqualTo(candidate);
        LocalNode old = leader;
        leader = candidate;
        Await.until("the old leader reports it follows", CHANGE, () -> phases(old).contains("following"));
        assertThat(json(old, "/operation").getString("state")).isEqualTo("succeeded");
        assertThat(phases(old)).containsSubsequence("requested", "checkpoint", "stopping", "stopped", "handed over").contains("promoted");

        awaitHealthy(leader);
        assertThat(rows(leader)).isEqualTo(1000);
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement()) {
            st.execute("INSERT INTO acked VALUES (1001)");
        }
        assertThat(rewinds(old)).as("the old primary comes back without pg_rewind").isEqualTo(rewindsBefore);
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedWithAReasonAndChangeNothing() {
        LocalNode other = replicaOtherThan(leader);
        String me = leader.name();
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + me + "\",\"candidate\":\"" + me + "\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(400)).satisfies(a -> assertThat(a.body()).contains("the same"));
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + me + "\",\"candidate\":\"nosuch\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(412)).satisfies(a -> assertThat(a.body()).contains("nosuch is not a member"));
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + other.name() + "\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(412)).satisfies(a -> assertThat(a.body()).contains("leader name does not match"));
        assertThat(call(leader, "POST", "/failover", "{}").status()).isEqualTo(400);
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + me + "\",\"scheduled_at\":\"2020-01-01T00:00:00+00:00\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(422)).satisfies(a -> assertThat(a.body()).contains("past"));
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + me + "\",\"scheduled_at\":\"tomorrow\"}").status()).isEqualTo(400);
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + me + "\",\"colour\":\"red\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(400)).satisfies(a -> assertThat(a.body()).contains("colour"));
        assertThat(call(leader, "POST", "/switchover", "[1,2]").status()).isEqualTo(400);
        assertThat(call(leader, "DELETE", "/switchover", null).status()).isEqualTo(404);
        assertThat(call(leader, "POST", "/reinitialize", "{}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(503)).satisfies(a -> assertThat(a.body()).contains("I am the leader"));
        assertThat(call(other, "POST", "/restart", "{\"role\":\"primary\"}"))
                .satisfies(a -> assertThat(a.status()).isEqualTo(503)).satisfies(a -> assertThat(a.body()).contains("conditions are not satisfied"));
        assertThat(call(other, "POST", "/restart", "{\"schedule\":\"2020-01-01T00:00:00+00:00\"}").status()).isEqualTo(422);

        JsonObject c = json(leader, "/cluster");
        assertThat(c.containsKey("scheduled_switchover")).isFalse();
        assertThat(cluster.awaitPrimary(CHANGE)).isEqualTo(leader);
    }

    @Test
    @Order(3)
    void switchoverWithoutACandidatePicksAReplica() {
        Answer a = call(leader, "POST", "/switchover", "{\"leader\":\"" + leader.name() + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        LocalNode now = cluster.awaitPrimary(CHANGE);
        assertThat(now).isNotEqualTo(leader);
        assertThat(a.body()).contains(now.name());
        leader = now;
        awaitHealthy(leader);
    }

    @Test
    @Order(4)
    void aScheduledSwitchoverWaitsForItsTimeAndCanBeCancelled() {
        LocalNode candidate = replicaOtherThan(leader);
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();
        Answer scheduled = call(leader, "POST", "/switchover",
                "{\"leader\":\"" + leader.name() + "\",\"candidate\":\"" + candidate.name() + "\",\"scheduled_at\":\"" + soon + "\"}");
        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(202);
        assertThat(json(leader, "/cluster").getJsonObject("scheduled_switchover").getString("to")).isEqualTo(candidate.name());
        assertThat(call(leader, "DELETE", "/switchover", null).status()).isEqualTo(200);
        assertThat(json(leader, "/cluster").containsKey("scheduled_switchover")).isFalse();

        String inThreeSeconds = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).toString();
        assertThat(call(leader, "POST", "/switchover", "{\"leader\":\"" + leader.name() + "\",\"candidate\":\"" + candidate.name()
                + "\",\"scheduled_at\":\"" + inThreeSeconds + "\"}").status()).isEqualTo(202);
        assertThat(cluster.awaitPrimary(Duration.ofSeconds(1)).name()).as("not before its time").isEqualTo(leader.name());
        Await.until(candidate.name() + " leads after the scheduled time", CHANGE,
                () -> candidate.restStatus(cluster.http, "GET", "/primary") == 200);
        leader = candidate;
        awaitHealthy(leader);
    }

    @Test
    @Order(5)
    void pausedClusterNeitherRestartsNorFailsOverUntilResumed() throws Exception {
        assertThat(call(leader, "PATCH", "/config", "{\"pause\":true}").status()).isEqualTo(200);
        for (LocalNode n : cluster.nodes) {
            Await.until(n.name() + " reports pause", CHANGE, () -> json(n, "/patroni").getBoolean("pause", false));
        }
        leader.killPostgres();
        Await.until("the paused leader lets the key go without restarting PostgreSQL", CHANGE,
                () -> leader.restStatus(cluster.http, "GET", "/primary") != 200 && json(leader, "/cluster").getJsonArray("members").stream()
                        .noneMatch(m -> "leader".equals(((JsonObject) m).getString("role"))));
        // Absence of an action can only be watched for a while: three loop_waits of no primary anywhere.
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(cluster.nodes.stream().filter(n -> n.restStatus(cluster.http, "GET", "/primary") == 200).map(LocalNode::name)
                    .collect(Collectors.toList())).as("no promotion and no restart while paused").isEmpty();
        }
        assertThat(leader.postmasterPid()).as("PostgreSQL not started while paused").isEmpty();

        assertThat(call(replicaOtherThan(leader), "PATCH", "/config", "{\"pause\":null}").status()).isEqualTo(200);
        leader = cluster.dumpOnFailure(() -> cluster.awaitPrimary(CHANGE));
        awaitHealthy(leader);
        assertThat(rows(leader)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    @Order(6)
    void aPendingRestartIsSeenAndRestartClearsIt() throws Exception {
        assertThat(call(leader, "PATCH", "/config", "{\"postgresql\":{\"parameters\":{\"wal_buffers\":\"1MB\"}}}").status()).isEqualTo(200);
        cluster.dumpOnFailure(() -> {
            Await.until("pending_restart on the leader", CHANGE, () -> json(leader, "/patroni").getBoolean("pending_restart", false));
            return null;
        });
        String startedBefore = json(leader, "/patroni").getString("postmaster_start_time");

        Answer a = call(leader, "POST", "/restart", "{\"restart_pending\":true}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("restarted successfully");
        Await.until("restart visible in /patroni", CHANGE, () -> !json(leader, "/patroni").getBoolean("pending_restart", false)
                && !startedBefore.equals(json(leader, "/patroni").getString("postmaster_start_time")));
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW wal_buffers")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1MB");
        }
        assertThat(cluster.awaitPrimary(CHANGE)).as("a restart is not a failover").isEqualTo(leader);
    }

    @Test
    @Order(7)
    void reinitializeClonesAReplicaAgainAndRemovesTheOldCopyOnlyAfterwards() throws Exception {
        LocalNode replica = replicaOtherThan(leader);
        Files.writeString(replica.dir().resolve("data").resolve("marker-from-before"), "x");
        Answer a = call(replica, "POST", "/reinitialize", "{}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("reinitialize started");
        Await.until(replica.name() + " cloned again, the moved-aside copy removed once the clone runs", CHANGE,
                () -> !Files.exists(replica.dir().resolve("data").resolve("marker-from-before"))
                        && replica.restStatus(cluster.http, "GET", "/replica") == 200 && reinitLeftovers(replica).isEmpty());
        assertThat(rows(replica)).isGreaterThanOrEqualTo(1000);
        JsonArray members = json(leader, "/cluster").getJsonArray("members");
        assertThat(members.size()).isEqualTo(3);
    }

    private static List<String> phases(LocalNode n) {
        return json(n, "/operation").getJsonArray("phases").stream().map(p -> ((JsonObject) p).getString("phase")).toList();
    }

    private static List<String> reinitLeftovers(LocalNode n) {
        try (var dirs = Files.list(n.dir())) {
            return dirs.map(p -> p.getFileName().toString()).filter(f -> f.contains("reinit")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long rewinds(LocalNode n) throws Exception {
        if (!Files.exists(n.daemonLog())) {
            return 0;
        }
        try (var lines = Files.lines(n.daemonLog())) {
            return lines.filter(l -> l.contains("pg_rewind from")).count();
        }
    }
}
