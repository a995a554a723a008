package io.pgha.ha;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RejoinPlanTest {
    private static final RejoinPlan REWIND_OR_WAIT = new RejoinPlan(true, false);
    private static final RejoinPlan REWIND_OR_RECLONE = new RejoinPlan(true, true);

    @Test
    void divergenceGoesByTheLeadersTimelineOrElseTheMembersOwnPast() {
        assertThat(RejoinPlan.mayHaveDiverged(3, 4, false)).isTrue();
        assertThat(RejoinPlan.mayHaveDiverged(4, 4, true)).isFalse();
        assertThat(RejoinPlan.mayHaveDiverged(4, 0, true)).isTrue();
        assertThat(RejoinPlan.mayHaveDiverged(4, 0, false)).isFalse();
    }

    @Test
    void aDivergedMemberRewindsAndAGoodRewindStartsItAfresh() {
        RejoinPlan.State twoFailed = new RejoinPlan.State(2, "rewind failed (2/3): x");
        assertThat(REWIND_OR_WAIT.diverged(3, 4, twoFailed)).isInstanceOf(RejoinPlan.Rewind.class);
        assertThat(REWIND_OR_WAIT.afterRewind("n1", true, false, "done", twoFailed)).isEqualTo(new RejoinPlan.Start(RejoinPlan.State.FRESH));
    }

    @Test
    void failedRewindsAreCountedAndAfterTheLastTheMemberWaitsOrIsClonedAgain() {
        RejoinPlan.State s = RejoinPlan.State.FRESH;
        for (int i = 1; i <= RejoinPlan.REWIND_ATTEMPTS; i++) {
            RejoinPlan.Step step = REWIND_OR_WAIT.afterRewind("n1", false, false, "could not connect", s);
            assertThat(step).isInstanceOf(RejoinPlan.StayStopped.class);
            assertThat(((RejoinPlan.StayStopped) step).why()).contains("(" + i + "/3)");
            s = step.state();
        }
        assertThat(s.rewindFailures()).isEqualTo(3);
        assertThat(REWIND_OR_WAIT.diverged(3, 4, s)).isEqualTo(new RejoinPlan.StayStopped("PostgreSQL stays stopped: " + s.memberState(), s));
        RejoinPlan.Step reclone = REWIND_OR_RECLONE.diverged(3, 4, s);
        assertThat(reclone).isInstanceOf(RejoinPlan.MoveAside.class);
        assertThat(((RejoinPlan.MoveAside) reclone).suffix()).isEqualTo("rewind-failed");
        assertThat(reclone.state()).isEqualTo(RejoinPlan.State.FRESH);
    }

    @Test
    void withoutPgRewindADivergedMemberWaitsForReinitOrIsMovedAside() {
        RejoinPlan.Step wait = new RejoinPlan(false, false).diverged(3, 4, RejoinPlan.State.FRESH);
        assertThat(wait.state().memberState()).isEqualTo("diverged: needs reinit");
        assertThat(new RejoinPlan(false, true).diverged(3, 4, RejoinPlan.State.FRESH)).isInstanceOf(RejoinPlan.MoveAside.class);
    }

    @Test
    void aHalfRewoundDirectoryIsNeverStartedOnlyClonedOrLeftForTheOperator() {
        assertThat(REWIND_OR_WAIT.afterRewind("n1", false, true, "bad wal", RejoinPlan.State.FRESH).state().memberState())
                .isEqualTo("rewind failed: data directory unusable, needs reinit");
        assertThat(REWIND_OR_RECLONE.unusableAfterRewind(Optional.of("n1"), RejoinPlan.State.FRESH)).isInstanceOf(RejoinPlan.MoveAside.class);
        assertThat(REWIND_OR_RECLONE.unusableAfterRewind(Optional.empty(), RejoinPlan.State.FRESH)).isInstanceOf(RejoinPlan.StayStopped.class);
    }
}
