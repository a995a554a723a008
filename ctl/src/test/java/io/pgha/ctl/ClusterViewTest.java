package io.pgha.ctl;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** What list and topology show for a DCS snapshot: roles, lag against the leader, header, footer, tree. */
class ClusterViewTest {

    @Test
    void rolesStatesLagAndUpstreamComeFromTheSnapshot() {
        ClusterView v = Clusters.threeNodes();
        assertThat(v.systemId()).contains("7268616322854375442");
        assertThat(v.leader()).contains("n1");
        MemberRow n1 = v.member("n1").orElseThrow();
        MemberRow n2 = v.member("n2").orElseThrow();
        MemberRow n3 = v.member("n3").orElseThrow();
        assertThat(n1.role()).isEqualTo("Leader");
        assertThat(n1.lagBytes()).isEmpty();
        assertThat(n1.hostPort()).isEqualTo("127.0.0.1:5433");
        assertThat(n2.role()).isEqualTo("Replica");
        assertThat(n2.state()).isEqualTo("streaming");
        assertThat(n2.lagBytes()).contains(1048576L);
        assertThat(n2.upstream()).contains("n1");
        assertThat(n3.lagBytes()).contains(2097152L);
        assertThat(n3.upstream()).contains("n2");
        assertThat(n3.pendingRestart()).isTrue();
    }

    @Test
    void lagIsMeasuredAgainstTheFresherOfStatusOptimeAndTheLeadersMemberKey() {
        ClusterView v = Clusters.demo().leader("n1").key("status", "{\"optime\":1000}")
                .member("n1", 1, "primary", 5000, "").member("n2", 2, "replica", 4000, "").view();
        assertThat(v.member("n2").orElseThrow().lagBytes()).contains(1000L);
    }

    @Test
    void lagIsUnknownWithoutALeaderPosition() {
        ClusterView v = Clusters.demo().member("n2", 2, "replica", 4000, "").view();
        assertThat(v.member("n2").orElseThrow().lagBytes()).isEmpty();
        assertThat(v.leader()).isEmpty();
    }

    @Test
    void syncStandbyIsNamedFromTheSyncKey() {
        ClusterView v = Clusters.demo().leader("n1").key("sync", "{\"leader\":\"n1\",\"sync_standby\":\"n2\"}")
                .member("n1", 1, "primary", 100, "").member("n2", 2, "replica", 100, "").member("n3", 3, "replica", 100, "").view();
        assertThat(v.member("n2").orElseThrow().role()).isEqualTo("Sync Standby");
        assertThat(v.member("n3").orElseThrow().role()).isEqualTo("Replica");
    }

    @Test
    void textListHasHeaderRowsAndFooterForPauseAndScheduledSwitchover() {
        ClusterView v = Clusters.demo().key("config", "{\"pause\":true}").leader("n1")
                .key("failover", "{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2030-01-01T10:00:00+00:00\"}")
                .member("n1", 1, "primary", 100, "").member("n2", 2, "replica", 100, "\"tags\":{\"nofailover\":true}").view();
        String text = render(ClusterTable::printList, v);
        assertThat(text.lines().findFirst()).contains("Cluster: demo (system id 7268616322854375442)");
        assertThat(text).contains("Member  Host", "n2      127.0.0.1:5434  Replica  streaming", "nofailover=true",
                "Maintenance mode: on", "Switchover scheduled at: 2030-01-01T10:00Z from: n1 to: n2");
        assertThat(v.paused()).isTrue();
    }

    @Test
    void aClusterWithoutLeaderSaysSo() {
        String text = render(ClusterTable::printList, Clusters.demo().member("n2", 2, "replica", 100, "").view());
        assertThat(text).contains("No leader");
    }

    @Test
    void topologyPutsTheLeaderFirstAndCascadesUnderTheirUpstream() {
        String text = render(ClusterTable::printTopology, Clusters.threeNodes());
        assertThat(text.lines().skip(2).map(l -> l.substring(0, l.indexOf("127.0.0.1")).stripTrailing()).toList()).containsExactly("n1", "+ n2", "  + n3");
    }

    @Test
    void topologyKeepsMembersWhoseUpstreamLoops() {
        ClusterView v = Clusters.demo().leader("n1").member("n1", 1, "primary", 100, "")
                .member("n2", 2, "replica", 100, "\"tags\":{\"replicatefrom\":\"n3\"}")
                .member("n3", 3, "replica", 100, "\"tags\":{\"replicatefrom\":\"n2\"}").view();
        assertThat(Topology.of(v)).extracting(n -> n.member().name()).containsExactlyInAnyOrder("n1", "n2", "n3");
    }

    @Test
    void jsonShapeIsStable() {
        JsonObject j = Clusters.threeNodes().toJson();
        assertThat(j.fieldNames()).containsExactly("scope", "system_id", "leader", "paused", "scheduled_switchover", "synchronous", "members");
        JsonObject n2 = j.getJsonArray("members").getJsonObject(1);
        assertThat(n2.fieldNames()).containsExactly("name", "host", "port", "role", "state", "timeline", "lsn", "lag_bytes", "lag_mb",
                "tags", "pending_restart", "scheduled_restart", "api_url", "upstream", "lease_ttl");
        assertThat(n2.getLong("lag_bytes")).isEqualTo(1048576L);
        assertThat(n2.getDouble("lag_mb")).isEqualTo(1.0);
        assertThat(n2.getString("lsn")).isEqualTo("0/2F00000");
        assertThat(Optional.ofNullable(j.getValue("scheduled_switchover"))).isEmpty();
    }

    @Test
    void listShowsTheTtlEachMembersLeaseWasGrantedAndADashForAMemberThatDoesNotSay() {
        ClusterView v = Clusters.demo().leader("n1").member("n1", 1, "primary", 100, "\"lease_ttl\":10")
                .member("n2", 2, "replica", 100, "\"lease_ttl\":30").member("n3", 3, "replica", 100, "").view();
        assertThat(v.members()).extracting(MemberRow::leaseTtl).containsExactly(Optional.of(10L), Optional.of(30L), Optional.empty());
        String text = render(ClusterTable::printList, v);
        assertThat(text).contains("Lease TTL").containsPattern("n1 .* 10 s ").containsPattern("n2 .* 30 s ");
        assertThat(v.toJson().getJsonArray("members").getJsonObject(0).getLong("lease_ttl")).isEqualTo(10L);
    }

    @Test
    void theFooterSaysWhoMayTakeOverInSynchronousMode() {
        Clusters quorum = Clusters.demo().key("config", "{\"synchronous_mode\":\"quorum\",\"synchronous_mode_strict\":true}").leader("n1")
                .member("n1", 1, "primary", 100, "").member("n2", 2, "replica", 100, "").member("n3", 3, "replica", 100, "")
                .key("sync", "{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}");
        ClusterView v = quorum.view();
        assertThat(render(ClusterTable::printList, v)).contains("Synchronous mode: quorum, strict — failover only to n2, n3, with the answers of 1 other voter");
        assertThat(v.members()).extracting(MemberRow::role).containsExactly("Leader", "Quorum Standby", "Quorum Standby");
        assertThat(v.toJson().getJsonObject("synchronous").getLong("quorum")).isEqualTo(1L);

        ClusterView inherited = Clusters.demo().key("config", "{\"synchronous_mode\":true}").leader("n2")
                .member("n1", 1, "replica", 100, "").member("n2", 2, "primary", 100, "")
                .key("sync", "{\"leader\":\"n1\",\"sync_standby\":\"n2\"}").view();
        assertThat(render(ClusterTable::printList, inherited)).contains("Synchronous mode: on — the leader has not named its synchronous standbys yet");
        assertThat(render(ClusterTable::printList, Clusters.threeNodes())).doesNotContain("Synchronous mode");
    }

    private static String render(BiConsumer<ClusterView, PrintWriter> printer, ClusterView v) {
        StringWriter w = new StringWriter();
        printer.accept(v, new PrintWriter(w, true));
        return w.toString();
    }

    @Test
    void aStandbyLeaderWithReceivedWalWaitingShowsHowFarBehindItReplays() {
        Instant now = Instant.parse("2026-12-07T12:00:10Z");
        Clusters c = Clusters.demo().key("config", "{\"standby_cluster\":{\"host\":\"10.0.0.1\",\"port\":5432,\"recovery_min_apply_delay\":\"10s\"}}")
                .leader("n1").member("n1", 1, "standby_leader", 5000,
                        "\"receive_lsn\":5000,\"replay_lsn\":4000,\"pgha_replayed_at\":\"2026-12-07T12:00:00.500Z\"");
        ClusterView behind = ClusterView.of(c.build(), "demo", now);
        assertThat(behind.standbyOf()).contains("10.0.0.1:5432, apply delay 10s; the standby leader replays 9.5 s behind");
        assertThat(render(ClusterTable::printList, behind)).contains("Standby cluster: replicating from 10.0.0.1:5432, apply delay 10s;"
                + " the standby leader replays 9.5 s behind");

        c.member("n1", 1, "standby_leader", 5000, "\"receive_lsn\":5000,\"replay_lsn\":5000,\"pgha_replayed_at\":\"2026-12-07T11:00:00Z\"");
        assertThat(ClusterView.of(c.build(), "demo", now).standbyOf()).as("caught up, however old the last commit")
                .hasValueSatisfying(s -> assertThat(s).endsWith("; the standby leader has replayed all it received"));

        c.member("n1", 1, "standby_leader", 5000, "\"receive_lsn\":5000,\"replay_lsn\":4960");
        assertThat(ClusterView.of(c.build(), "demo", now).standbyOf()).as("nothing committed replayed since it started")
                .hasValueSatisfying(s -> assertThat(s).endsWith("; the standby leader has 40 bytes received and not yet replayed"));

        c.member("n1", 1, "standby_leader", 5000, "");
        assertThat(ClusterView.of(c.build(), "demo", now).standbyOf()).as("a leader that publishes no replay position (Patroni)")
                .contains("10.0.0.1:5432, apply delay 10s");
    }
}
