package io.pgha.ctl;

import io.pgha.daemon.LocalCluster;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands that drive the daemon's issue-4 endpoints, against a real 3-node cluster:
 * switchover to a named and to an unnamed candidate with live phases, scheduled switchover and its
 * cancellation, a switchover refused with 412, failover in pause mode, restart of members with a
 * pending restart, reinit of a replica, reload. One cluster, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlOperationsIT {
    static LocalCluster cluster;
    static EtcdDcs dcs;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration SOON = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "");
        cluster.startAll();
        dcs = new EtcdDcs(new KeyLayout("/service", cluster.scope), EtcdSettings.plain(cluster.etcd.clientUrls(), Duration.ofSeconds(5)));
        awaitHealthy();
    }

    @AfterAll
    static void stop() {
        if (dcs != null) {
            dcs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static LocalNode awaitHealthy() {
        LocalNode p = cluster.awaitHealthy(BOOT);
        cluster.awaitPublishedStreaming(p, BOOT); // a switchover candidate must be published as streaming
        return p;
    }

    static CtlRun ctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-c", cluster.nodes.get(0).config().toString()));
        return CtlRun.pgha(all.toArray(String[]::new));
    }

    static Cluster read() {
        return dcs.read(Consistency.LINEARIZABLE);
    }

    static LocalNode replicaOf(LocalNode primary) {
        return cluster.nodes.stream().filter(n -> n != primary && cluster.daemons.containsKey(n.name())).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void switchoverToANamedCandidateShowsThePhasesAndEndsWithTheNewTable() {
        LocalNode old = awaitHealthy();
        LocalNode candidate = replicaOf(old);
        CtlRun r = ctl("switchover", "--leader", old.name(), "--candidate", candidate.name(), "--force");
        assertThat(r.exit()).as(r.all() + cluster.logs()).isZero();
        assertThat(r.out()).contains("checkpoint", "stopped", "handed over", "promoted", "Successfully switched over to \"" + candidate.name() + "\"");
        assertThat(r.out().indexOf("checkpoint")).isLessThan(r.out().indexOf("promoted"));
        assertThat(r.out()).containsPattern(candidate.name() + " +127\\.0\\.0\\.1:" + candidate.pgPort() + " +Leader");
        assertThat(cluster.awaitPrimary(SOON)).isEqualTo(candidate);
        cluster.awaitReplica(old, SOON);
        // The new leader records its timeline in its first cycle as leader, which may end after the old one follows.
        assertThat(Await.value("the history key", SOON, () -> read().history()).value()).isNotEmpty();
    }

    @Test
    @Order(2)
    void switchoverToAnUnnamedCandidatePicksAReplica() {
        LocalNode old = awaitHealthy();
        CtlRun r = ctl("switchover", "--force", "--json");
        assertThat(r.exit()).as(r.all() + cluster.logs()).isZero();
        JsonObject j = new JsonObject(r.out());
        assertThat(j.getInteger("status")).isEqualTo(200);
        assertThat(j.getJsonObject("operation").getString("kind")).isEqualTo("switchover");
        assertThat(j.getJsonObject("cluster").getString("leader")).isNotEqualTo(old.name());
        assertThat(cluster.awaitPrimary(SOON)).isNotEqualTo(old);
    }

    @Test
    @Order(3)
    void scheduledSwitchoverIsListedAndCanBeFlushed() {
        LocalNode leader = awaitHealthy();
        String at = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).withNano(0).toString();
        CtlRun r = ctl("switchover", "--candidate", replicaOf(leader).name(), "--scheduled", at, "--force");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("scheduled for");
        assertThat(ctl("list").out()).contains("Switchover scheduled at:");
        assertThat(ctl("list", "--json").out()).contains("\"scheduled_switchover\":{");
        CtlRun flush = ctl("flush", "switchover");
        assertThat(flush.exit()).as(flush.all()).isZero();
        Await.until("scheduled switchover gone", SOON, () -> read().failoverRequest().isEmpty());
        assertThat(cluster.awaitPrimary(SOON)).isEqualTo(leader);
    }

    @Test
    @Order(4)
    void switchoverToALaggingCandidateIsRefusedWith412AndNothingChanges() throws Exception {
        LocalNode leader = awaitHealthy();
        LocalNode lagging = replicaOf(leader);
        try (Connection c = cluster.connect(lagging); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_pause()");
        }
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS filler AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 20000) g");
        }
        // The daemons publish positions once per loop_wait; the refusal is judged on what is published.
        Await.until(lagging.name() + " published as replaying far behind", SOON, () -> {
            var c = read();
            long leaderAt = c.member(leader.name()).flatMap(m -> m.data().xlogLocation()).orElse(0L);
            long replayed = c.member(lagging.name()).flatMap(m -> m.data().replayLsn()).orElse(Long.MAX_VALUE);
            return leaderAt - replayed > 2 * 1_048_576;
        });
        try {
            CtlRun r = ctl("switchover", "--candidate", lagging.name(), "--force");
            assertThat(r.exit()).as(r.all()).isEqualTo(Exit.USAGE);
            assertThat(r.err()).contains("HTTP 412");
            assertThat(read().leaderName()).contains(leader.name());
        } finally {
            try (Connection c = cluster.connect(lagging); Statement st = c.createStatement()) {
                st.execute("SELECT pg_wal_replay_resume()");
            }
        }
    }

    @Test
    @Order(5)
    void restartRestartsOnlyMembersWithAPendingRestart() throws Exception {
        awaitHealthy();
        CtlRun edit = ctl("edit-config", "--pg", "wal_buffers=1MB", "--force");
        assertThat(edit.exit()).as(edit.all()).isZero();
        Await.until("every member reports a pending restart", SOON, () -> {
            JsonObject l = new JsonObject(ctl("list", "--json").out());
            return l.getJsonArray("members").stream().allMatch(m -> ((JsonObject) m).getBoolean("pending_restart"));
        });
        CtlRun r = ctl("restart", "--pending", "--force");
        assertThat(r.exit()).as(r.all() + cluster.logs()).isZero();
        Await.until("no pending restart left", SOON, () -> {
            JsonObject l = new JsonObject(ctl("list", "--json").out());
            return l.getJsonArray("members").stream().noneMatch(m -> ((JsonObject) m).getBoolean("pending_restart"));
        });
        LocalNode leader = awaitHealthy();
        try (Connection c = cluster.connect(leader); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW wal_buffers")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1MB");
        }
    }

    @Test
    @Order(6)
    void reinitRebuildsAReplicaAndWaitsForIt() {
        LocalNode leader = awaitHealthy();
        LocalNode replica = replicaOf(leader);
        long pidBefore = replica.postmasterPid().orElseThrow();
        CtlRun r = ctl("reinit", replica.name(), "--force", "--wait");
        assertThat(r.exit()).as(r.all() + cluster.logs()).isZero();
        cluster.awaitReplica(replica, SOON);
        assertThat(replica.postmasterPid()).isPresent().isNotEqualTo(Optional.of(pidBefore));
    }

    @Test
    @Order(7)
    void reloadIsAcceptedByEveryMember() {
        awaitHealthy();
        CtlRun r = ctl("reload");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("reload scheduled");
    }

    @Test
    @Order(8)
    void failoverInPauseModePromotesTheNamedCandidate() {
        LocalNode leader = awaitHealthy();
        LocalNode candidate = replicaOf(leader);
        assertThat(ctl("pause", "--wait").exit()).isZero();
        cluster.crash(leader);
        CtlRun r = ctl("failover", "--candidate", candidate.name(), "--force");
        assertThat(r.exit()).as(r.all() + cluster.logs()).isZero();
        assertThat(r.out()).contains("Successfully failed over to \"" + candidate.name() + "\"");
        assertThat(cluster.awaitPrimary(SOON)).isEqualTo(candidate);
        assertThat(ctl("resume", "--wait").exit()).isZero();
    }
}
