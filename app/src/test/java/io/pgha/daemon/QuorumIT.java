package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * synchronous_mode quorum and strict mode rejecting writes, on real nodes. Quorum: the leader names
 * both standbys with {@code ANY 1}, the sync key says a promotion needs one other voter, and after a
 * node crash a voter that heard from the other takes over with every acknowledged row. Strict with
 * {@code synchronous_mode_strict_writes: reject}: with no standby, a write fails at once (read-only
 * transaction) instead of hanging, and succeeds again once a standby is back.
 */
class QuorumIT {
    static final Duration BOOT = Duration.ofSeconds(90);

    @Test
    void aCommitOnAnyOneStandbyIsKeptBecauseAPromotionMustHearFromTheOther() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, "fast", "synchronous_mode: quorum")) {
            cluster.startAll();
            LocalNode primary = cluster.dumpOnFailure(() -> cluster.awaitPrimary(BOOT));
            List<String> replicas = cluster.nodes.stream().filter(n -> n != primary).map(LocalNode::name).sorted().toList();
            JsonObject key = cluster.dumpOnFailure(() -> Await.value("the sync key naming both standbys", BOOT,
                    () -> syncKey(cluster, primary).filter(k -> k.getString("sync_standby", "").split(",").length == 2)));
            assertThat(List.of(key.getString("sync_standby").split(","))).containsExactlyInAnyOrderElementsOf(replicas);
            assertThat(key.getLong("quorum")).as("ANY 1 of 2: a promotion must hear from the other voter").isEqualTo(1L);
            try (Connection c = cluster.connect(primary); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('synchronous_standby_names')")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("ANY 1 (");
            }
            JsonObject durability = Await.value("durability reported", BOOT, () -> primary.restBody(cluster.http, "/patroni").map(JsonObject::new)
                    .map(j -> j.getJsonObject("pgha").getJsonObject("durability")).filter(d -> d != null && "quorum commit".equals(d.getString("state"))));
            assertThat(durability.getLong("quorum")).isEqualTo(1L);
            LocalNode voter = cluster.node(replicas.get(0));
            // The voter answers from its own last read of the sync key: with the leader's quick cycles while
            // the standbys move, the durability above can be reported before the voter's next cycle.
            Await.until("a voter passes /quorum", Duration.ofSeconds(10), () -> voter.restStatus(cluster.http, "GET", "/quorum") == 200);
            assertThat(voter.restStatus(cluster.http, "GET", "/sync")).as("/sync is for synchronous_mode on").isEqualTo(503);

            try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE acked (id int PRIMARY KEY)");
                for (int i = 1; i <= 200; i++) {
                    st.execute("INSERT INTO acked VALUES (" + i + ")");
                }
            }
            cluster.crash(primary);
            LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(Duration.ofSeconds(30)));
            assertThat(replicas).contains(promoted.name());
            try (Connection c = cluster.connect(promoted); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM acked")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(200);
            }
            String third = replicas.stream().filter(n -> !n.equals(promoted.name())).findFirst().orElseThrow();
            JsonObject next = cluster.dumpOnFailure(() -> Await.value("the new leader's key naming the remaining standby", BOOT,
                    () -> syncKey(cluster, promoted).filter(k -> third.equals(k.getString("sync_standby")))));
            assertThat(next.getLong("quorum")).as("ANY 1 of 1: that standby has every commit").isEqualTo(0L);
        }
    }

    @Test
    void strictModeRejectsWritesWhileNoStandbyIsThereAndAcceptsThemWhenOneIsBack() throws Exception {
        try (LocalCluster cluster = new LocalCluster(2, "fast",
                "synchronous_mode: true\nsynchronous_mode_strict: true\nsynchronous_mode_strict_writes: reject")) {
            cluster.startAll();
            LocalNode primary = cluster.dumpOnFailure(() -> cluster.awaitPrimary(BOOT));
            LocalNode replica = cluster.nodes.stream().filter(n -> n != primary).findFirst().orElseThrow();
            cluster.dumpOnFailure(() -> Await.value("the standby in the sync key", BOOT,
                    () -> syncKey(cluster, primary).filter(k -> replica.name().equals(k.getString("sync_standby")))));
            try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id int)");
            }
            cluster.crash(replica);
            String error = cluster.dumpOnFailure(() -> Await.value("a write rejected on the primary", BOOT, () -> insertError(cluster, primary)));
            assertThat(error).contains("read-only transaction");
            JsonObject durability = primary.restBody(cluster.http, "/patroni").map(JsonObject::new).orElseThrow()
                    .getJsonObject("pgha").getJsonObject("durability");
            assertThat(durability.getString("state")).isEqualTo("writes rejected: no synchronous standby");

            cluster.start(replica);
            cluster.dumpOnFailure(() -> Await.value("writes accepted again", BOOT,
                    () -> insertError(cluster, primary).isEmpty() ? Optional.of(true) : Optional.empty()));
            try (Connection c = cluster.connect(primary); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT sync_state FROM pg_stat_replication WHERE application_name = '" + replica.name() + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("accepted writes are synchronous again").isEqualTo("sync");
            }
        }
    }

    /** Empty when an insert committed; the error's message when PostgreSQL refused it. */
    private static Optional<String> insertError(LocalCluster cluster, LocalNode primary) {
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            st.setQueryTimeout(5); // a commit that waits (the GUC still names the standby) is not a rejection
            st.execute("INSERT INTO t VALUES (1)");
            return Optional.empty();
        } catch (SQLException e) {
            // A commit still waiting when the query or socket timeout ends it (57014, 08xxx) is not a
            // rejection either: only PostgreSQL's own refusal answers the question.
            String state = String.valueOf(e.getSQLState());
            return state.equals("57014") || state.startsWith("08") ? Optional.empty() : Optional.ofNullable(e.getMessage());
        }
    }

    /** The sync key as the leader reports it in its durability state: {@code sync_standby} joined by commas, and {@code quorum}. */
    private static Optional<JsonObject> syncKey(LocalCluster cluster, LocalNode leader) {
        return leader.restBody(cluster.http, "/patroni").map(JsonObject::new).map(j -> j.getJsonObject("pgha"))
                .map(p -> p.getJsonObject("durability")).filter(d -> d != null && !d.getJsonArray("sync_key").isEmpty())
                .map(d -> new JsonObject().put("sync_standby", String.join(",", d.getJsonArray("sync_key").stream().map(String::valueOf).toList()))
                        .put("quorum", d.getLong("quorum", 0L)));
    }
}
