package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * synchronous_mode on three real nodes: the leader names a synchronous standby only once PostgreSQL
 * confirms it, and after a node crash only that standby is promoted, with every acknowledged row.
 */
class SynchronousIT {
    static LocalCluster cluster;
    static final Duration BOOT = Duration.ofSeconds(90);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "synchronous_mode: true");
        cluster.startAll();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void onlyTheConfirmedSynchronousStandbyIsPromotedAndItHasEveryAcknowledgedRow() throws Exception {
        LocalNode primary = cluster.dumpOnFailure(() -> cluster.awaitPrimary(BOOT));
        String standby = cluster.dumpOnFailure(() -> Await.value("a member published as sync_standby", BOOT, () -> syncStandby(primary)));

        Map<String, String> states = new HashMap<>();
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT application_name, sync_state FROM pg_stat_replication")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(states).as("the standby named in the sync key is synchronous in PostgreSQL").containsEntry(standby, "sync");
        JsonObject durability = Await.value("durability reported", BOOT, () -> primary.restBody(cluster.http, "/patroni").map(JsonObject::new)
                .map(j -> j.getJsonObject("pgha").getJsonObject("durability")).filter(d -> d != null && "synchronous".equals(d.getString("state"))));
        assertThat(durability.getJsonArray("sync_key").getList()).containsExactly(standby);

        try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE acked (id int PRIMARY KEY)");
            for (int i = 1; i <= 200; i++) {
                st.execute("INSERT INTO acked VALUES (" + i + ")"); // each commit acknowledged only once the standby has it
            }
        }
        cluster.crash(primary);
        LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(Duration.ofSeconds(30)));
        assertThat(promoted.name()).as("only the synchronous standby may take over").isEqualTo(standby);
        try (Connection c = cluster.connect(promoted); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM acked")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(200);
        }
        // The new leader makes the remaining replica its synchronous standby.
        LocalNode third = cluster.nodes.stream().filter(n -> n != primary && n != promoted).findFirst().orElseThrow();
        String next = cluster.dumpOnFailure(() -> Await.value("the new leader's sync standby", BOOT, () -> syncStandby(promoted)));
        assertThat(next).isEqualTo(third.name());
    }

    private static Optional<String> syncStandby(LocalNode leader) {
        return leader.restBody(cluster.http, "/cluster").map(JsonObject::new)
                .flatMap(c -> c.getJsonArray("members").stream().map(m -> (JsonObject) m)
                        .filter(m -> "sync_standby".equals(m.getString("role"))).map(m -> m.getString("name")).findFirst());
    }
}
