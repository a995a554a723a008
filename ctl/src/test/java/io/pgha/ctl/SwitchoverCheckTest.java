package io.pgha.ctl;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every switchover mistake is refused before anything is sent, as a usage error naming the reason. */
class SwitchoverCheckTest {
    static final ClusterView CLUSTER = Clusters.threeNodes();
    static final Optional<OffsetDateTime> NOW = Optional.empty();

    @Test
    void aGoodRequestBecomesThePostBody() {
        SwitchoverCheck c = SwitchoverCheck.of(CLUSTER, Optional.of("n1"), Optional.of("n2"), Optional.of(OffsetDateTime.parse("2030-01-01T10:00+01:00")));
        assertThat(c.body().encode()).isEqualTo("{\"leader\":\"n1\",\"candidate\":\"n2\",\"scheduled_at\":\"2030-01-01T10:00+01:00\"}");
        assertThat(SwitchoverCheck.of(CLUSTER, Optional.empty(), Optional.empty(), NOW).body().encode()).isEqualTo("{\"leader\":\"n1\"}");
    }

    @Test
    void unknownCandidate() {
        refused(CLUSTER, null, "n9", "no member named \"n9\" in cluster demo (members: n1, n2, n3)");
    }

    @Test
    void unknownLeader() {
        refused(CLUSTER, "n9", null, "no member named \"n9\"");
    }

    @Test
    void leaderThatIsNotTheLeader() {
        refused(CLUSTER, "n2", "n3", "n2 is not the leader (n1 is)");
    }

    @Test
    void candidateEqualToLeader() {
        refused(CLUSTER, null, "n1", "n1 is already the leader");
    }

    @Test
    void candidateThatMayNeverBePromoted() {
        ClusterView v = Clusters.demo().leader("n1").member("n1", 1, "primary", 1, "")
                .member("n2", 2, "replica", 1, "\"tags\":{\"nofailover\":true}")
                .member("n3", 3, "replica", 1, "\"tags\":{\"failover_priority\":0}").view();
        refused(v, null, "n2", "n2 may never be promoted");
        refused(v, null, "n3", "n3 may never be promoted");
        refused(v, null, null, "no candidates");
    }

    @Test
    void noOtherMember() {
        refused(Clusters.demo().leader("n1").member("n1", 1, "primary", 1, "").view(), null, null, "no candidates");
    }

    @Test
    void noLeader() {
        refused(Clusters.demo().member("n2", 2, "replica", 1, "").view(), null, "n2", "has no leader");
    }

    @Test
    void pausedWithoutCandidateOrScheduled() {
        ClusterView paused = Clusters.demo().key("config", "{\"pause\":true}").leader("n1")
                .member("n1", 1, "primary", 1, "").member("n2", 2, "replica", 1, "").view();
        refused(paused, null, null, "is paused: a switchover then needs a named --candidate");
        assertThat(SwitchoverCheck.of(paused, Optional.empty(), Optional.of("n2"), NOW).candidate()).contains("n2");
        assertThatThrownBy(() -> SwitchoverCheck.of(paused, Optional.empty(), Optional.of("n2"),
                Optional.of(OffsetDateTime.parse("2030-01-01T10:00Z")))).hasMessageContaining("cannot be scheduled");
    }

    private static void refused(ClusterView v, String leader, String candidate, String reason) {
        assertThatThrownBy(() -> SwitchoverCheck.of(v, Optional.ofNullable(leader), Optional.ofNullable(candidate), NOW))
                .isInstanceOfSatisfying(CtlError.class, e -> assertThat(e.exit()).isEqualTo(Exit.USAGE))
                .hasMessageContaining(reason);
    }
}
