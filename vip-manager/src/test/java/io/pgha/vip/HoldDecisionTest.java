package io.pgha.vip;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HoldDecisionTest {
    private static final long S = 1_000_000_000L;
    private static final DcsLossPolicy RELEASE = new DcsLossPolicy.Release(Duration.ofSeconds(20));
    private static final DcsLossPolicy HOLD = new DcsLossPolicy.HoldWhileFailsafe(Duration.ofSeconds(20), URI.create("http://127.0.0.1:8008/patroni"));
    private static final FailsafeVerdict AFFIRMED = new FailsafeVerdict(true, "role primary with failsafe_mode_is_active");
    private static final FailsafeVerdict DENIED = new FailsafeVerdict(false, "role replica");

    private static Want decide(DcsView view, DcsLossPolicy policy, FailsafeVerdict failsafe, long now) {
        return HoldDecision.decide(view, "n1", policy, failsafe, now);
    }

    private static DcsView leader(String name, long at) {
        return DcsView.initial(0).answered(Optional.ofNullable(name), "n1", at);
    }

    @Test
    void answeringDcsDecidesByTheLeaderKeyAlone() {
        assertThat(decide(leader("n1", S), RELEASE, DENIED, 2 * S)).isInstanceOf(Want.Hold.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.LEADER_IS_THIS_NODE);
        assertThat(decide(leader("n2", S), HOLD, AFFIRMED, 2 * S)).isInstanceOf(Want.Release.class)
                .extracting(Want::reason).isEqualTo("leader key names n2, not n1");
        assertThat(decide(leader(null, S), RELEASE, DENIED, 2 * S)).isInstanceOf(Want.Release.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.NO_LEADER);
    }

    @Test
    void beforeTheFirstAnswerNothingIsTouchedForTheGraceThenTheVipGoes() {
        DcsView silent = DcsView.initial(0).failed("connection refused", S);
        assertThat(decide(silent, RELEASE, DENIED, 5 * S)).isInstanceOf(Want.Wait.class);
        assertThat(decide(silent, HOLD, AFFIRMED, 21 * S)).isInstanceOf(Want.Release.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.DCS_NEVER_ANSWERED);
    }

    @Test
    void lostDcsKeepsTheLeadersVipExactlyForTheGraceAfterTheLastConfirmation() {
        DcsView lost = leader("n1", 10 * S).failed("timeout", 12 * S);
        assertThat(decide(lost, RELEASE, DENIED, 29 * S)).isInstanceOf(Want.Hold.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.DCS_LOST_WITHIN_GRACE);
        assertThat(decide(lost, RELEASE, DENIED, 30 * S)).isInstanceOf(Want.Release.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.DCS_LOST_GRACE_EXPIRED);
    }

    @Test
    void aLaterFailureDoesNotMoveTheConfirmationForward() {
        DcsView lost = leader("n1", 10 * S).failed("timeout", 12 * S).failed("timeout", 25 * S);
        assertThat(lost.unreachableSince()).hasValue(12 * S);
        assertThat(decide(lost, RELEASE, DENIED, 31 * S)).isInstanceOf(Want.Release.class);
    }

    @Test
    void lostDcsNeverMakesAReplicaHoldTheVip() {
        DcsView lost = leader("n2", 10 * S).failed("timeout", 12 * S);
        assertThat(decide(lost, HOLD, AFFIRMED, 13 * S)).isInstanceOf(Want.Release.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.DCS_LOST_NOT_LEADER);
    }

    @Test
    void holdPolicyKeepsTheVipAfterTheGraceOnlyWhileFailsafeIsAffirmed() {
        DcsView lost = leader("n1", 10 * S).failed("timeout", 12 * S);
        assertThat(decide(lost, HOLD, AFFIRMED, 100 * S)).isInstanceOf(Want.Hold.class)
                .extracting(Want::cause).isEqualTo(Want.Cause.DCS_LOST_FAILSAFE);
        Want denied = decide(lost, HOLD, DENIED, 100 * S);
        assertThat(denied).isInstanceOf(Want.Release.class);
        assertThat(denied.reason()).contains("does not report failsafe leadership: role replica");
        // The release policy ignores the daemon entirely.
        assertThat(decide(lost, RELEASE, AFFIRMED, 100 * S)).isInstanceOf(Want.Release.class);
    }

    @Test
    void anAnswerNamingAnotherLeaderForgetsEarlierConfirmations() {
        DcsView view = leader("n1", 10 * S).answered(Optional.of("n2"), "n1", 11 * S).failed("timeout", 12 * S);
        assertThat(view.confirmedSelfAt()).isEmpty();
        assertThat(decide(view, RELEASE, DENIED, 13 * S)).isInstanceOf(Want.Release.class);
    }

    @Test
    void transitionsAreLoggedOnCauseOrSteadyReasonChangesOnly() {
        Want n2 = new Want.Release(Want.Cause.LEADER_IS_ANOTHER_NODE, "leader key names n2, not n1");
        Want n3 = new Want.Release(Want.Cause.LEADER_IS_ANOTHER_NODE, "leader key names n3, not n1");
        Want lost1 = new Want.Hold(Want.Cause.DCS_LOST_WITHIN_GRACE, "DCS unreachable for 1.0 s");
        Want lost2 = new Want.Hold(Want.Cause.DCS_LOST_WITHIN_GRACE, "DCS unreachable for 2.0 s");
        assertThat(n3.differsFrom(n2)).isTrue();
        assertThat(n2.differsFrom(n2)).isFalse();
        assertThat(lost2.differsFrom(lost1)).isFalse();
        assertThat(lost1.differsFrom(n2)).isTrue();
    }
}
