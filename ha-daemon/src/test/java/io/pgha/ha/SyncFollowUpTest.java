package io.pgha.ha;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SyncFollowUpTest {
    private static final long SETTLE = SyncConfirmation.SETTLE_NANOS;
    private final StandbyNames n1 = StandbyNames.first(List.of("n1"));

    @Test
    void theStepsAfterAPromotionEachAskForTheNextCycleASettleTimeLater() {
        SyncFollowUp f = new SyncFollowUp();
        long t = 1_000_000_000L;
        f.cycleStarts();
        f.after(new SyncPlan.WriteSyncKey(List.of(), Optional.empty(), "I lead now"), t);
        assertThat(f.dueAt()).hasValue(t + SETTLE);
        f.cycleStarts();
        f.after(new SyncPlan.SetStandbyNames(n1, "eligible"), t + SETTLE);
        assertThat(f.dueAt()).hasValue(t + 2 * SETTLE);
        f.cycleStarts();
        f.after(new SyncPlan.AwaitConfirmation(n1), t + 2 * SETTLE);
        assertThat(f.dueAt()).hasValue(t + 3 * SETTLE);
        f.cycleStarts();
        f.after(new SyncPlan.WriteSyncKey(List.of("n1"), Optional.empty(), "confirmed"), t + 3 * SETTLE);
        assertThat(f.dueAt()).hasValue(t + 4 * SETTLE);
        f.cycleStarts();
        f.after(new SyncPlan.Steady(), t + 4 * SETTLE);
        assertThat(f.dueAt()).isEmpty();
    }

    @Test
    void aConfirmationThatNeverComesFallsBackToLoopWaitAfterARunOfQuickCycles() {
        SyncFollowUp f = new SyncFollowUp();
        int quick = 0;
        for (int i = 0; i < 50; i++) {
            f.cycleStarts();
            f.after(new SyncPlan.AwaitConfirmation(n1), i * SETTLE);
            if (f.dueAt().isPresent()) {
                quick++;
            }
        }
        assertThat(quick).isEqualTo(SyncFollowUp.MAX_QUICK_CYCLES);
        f.cycleStarts();
        f.after(new SyncPlan.Steady(), 50 * SETTLE);
        f.cycleStarts();
        f.after(new SyncPlan.SetStandbyNames(n1, "a new standby"), 51 * SETTLE);
        assertThat(f.dueAt()).as("a steady cycle starts a new run").hasValue(51 * SETTLE + SETTLE);
    }

    @Test
    void aDueTimeIsSpentByTheNextCycleEvenIfThatCycleTakesNoStep() {
        SyncFollowUp f = new SyncFollowUp();
        f.after(new SyncPlan.SetStandbyNames(n1, "eligible"), 0);
        f.cycleStarts(); // a leader cycle that acted on nothing (lease within its margin): no stale due time
        assertThat(f.dueAt()).isEmpty();
        f.after(new SyncPlan.SetStandbyNames(n1, "eligible"), 0);
        f.idle(); // not leading any more
        assertThat(f.dueAt()).isEmpty();
    }
}
