package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.testing.Cleanup;
import io.pgha.testing.consul.ConsulDouble;
import io.vertx.core.json.JsonArray;
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
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes (pgha daemon + PostgreSQL 15) keeping their state in Consul — here the
 * {@link ConsulDouble}, a <b>test double</b> of the agent's HTTP API, as no Consul binary is
 * available: bootstrap with the leader key held by the primary's session, a node crash failing
 * over once Consul reaps the dead node's session, no loss of replicated rows, and the old primary
 * rejoining. rto fast with ttl 10, Consul's minimum session TTL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsulFailoverIT {
    static ConsulDouble consul;
    static LocalCluster cluster;
    static LocalNode primary;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration FAILOVER = Duration.ofSeconds(45);

    @BeforeAll
    static void start() throws Exception {
        consul = ConsulDouble.start();
        cluster = LocalCluster.onConsul(3, "fast", "ttl: 10", consul.hostPort());
        cluster.startAll();
    }

    @AfterAll
    static void stop() {
        Cleanup.all("consul cluster", List.of(() -> {
            if (cluster != null) {
                cluster.close();
            }
        }, () -> {
            if (consul != null) {
                consul.close();
            }
        }));
    }

    private static Optional<JsonObject> kv(String path) {
        try {
            HttpResponse<String> r = cluster.http.send(HttpRequest.newBuilder(URI.create("http://" + consul.hostPort() + "/v1/kv/service/"
                    + cluster.scope + "/" + path)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(new JsonArray(r.body()).getJsonObject(0)) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String value(JsonObject entry) {
        return new String(Base64.getDecoder().decode(entry.getString("Value")));
    }

    @Test
    @Order(1)
    void bootstrapsWithTheLeaderKeyHeldByThePrimarysSession() throws Exception {
        primary = cluster.awaitHealthy(BOOT);
        JsonObject leader = kv("leader").orElseThrow();
        assertThat(value(leader)).isEqualTo(primary.name());
        JsonObject session = consul.session(leader.getString("Session")).orElseThrow();
        assertThat(session.getString("Behavior")).isEqualTo("delete");
        assertThat(session.getString("TTL")).isEqualTo("10s");
        for (LocalNode n : cluster.nodes) {
            JsonObject member = kv("members/" + n.name()).orElseThrow();
            assertThat(member.getString("Session")).as(n.name() + "'s member key is held by a session").isNotEmpty();
            assertThat(new JsonObject(value(member)).getString("role")).isIn("primary", "replica");
        }
        assertThat(kv("initialize")).isPresent();
        // One agent stands in for every node's local agent here: it holds all three registrations.
        Await.until("every member registered as a service tagged with its role", Duration.ofSeconds(30), () -> cluster.nodes.stream()
                .allMatch(n -> serviceTags(n).equals(List.of(n == primary ? "primary" : "replica"))));
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void aCrashedPrimaryFailsOverOnceItsSessionIsReapedWithoutLosingReplicatedRows() throws Exception {
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE acked (id int PRIMARY KEY)");
            st.execute("INSERT INTO acked SELECT generate_series(1, 1000)");
        }
        for (LocalNode n : cluster.nodes) {
            if (n != primary) {
                Await.until(n.name() + " replayed 1000 rows", Duration.ofSeconds(30), () -> rows(n) == 1000);
            }
        }
        LocalNode old = primary;
        long crashedAt = System.nanoTime();
        cluster.crash(old);
        LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
        Duration took = Duration.ofNanos(System.nanoTime() - crashedAt);
        System.out.println("consul failover: new primary " + promoted.name() + " answering /primary " + took.toMillis() + " ms after the crash");
        assertThat(promoted).isNotEqualTo(old);
        assertThat(kv("leader").map(ConsulFailoverIT::value)).contains(promoted.name());
        assertThat(kv("members/" + old.name())).as("the dead node's member key went with its session").isEmpty();
        Await.until(promoted.name() + " re-registered as primary", Duration.ofSeconds(30),
                () -> serviceTags(promoted).equals(List.of("primary")));
        try (Connection c = cluster.connect(promoted); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM acked")).isEqualTo(1000);
            st.execute("INSERT INTO acked VALUES (1001)");
        }
        primary = promoted;
    }

    @Test
    @Order(3)
    void theOldPrimaryRejoinsAsAReplica() throws Exception {
        LocalNode old = cluster.nodes.stream().filter(n -> !cluster.daemons.containsKey(n.name())).findFirst().orElseThrow();
        cluster.start(old);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(old, BOOT);
            return null;
        });
        Await.until(old.name() + " has the row written after the failover", Duration.ofSeconds(30), () -> rows(old) == 1001);
        assertThat(Files.readString(old.daemonLog())).doesNotContain("Exception in thread");
    }

    private static List<Object> serviceTags(LocalNode n) {
        JsonObject s = consul.services().getJsonObject(cluster.scope + "/" + n.name());
        return s == null ? List.of() : s.getJsonArray("Tags").getList();
    }

    private static long rows(LocalNode n) {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement()) {
            return count(st, "SELECT count(*) FROM acked");
        } catch (SQLException e) {
            return -1;
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
