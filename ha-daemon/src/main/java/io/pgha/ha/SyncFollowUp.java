package io.pgha.ha;

import java.util.OptionalLong;

/**
 * When a leader moving its synchronous standbys should run its next cycle. {@link SyncPlan} takes one
 * step per cycle, and after a promotion it needs four (sync key naming no voter, the GUC, the
 * confirmation threshold, the key naming the standbys): at loop_wait apiece that was about 3 s in
 * which only the new leader could be promoted, so a crash of it then left the cluster without a
 * primary until it came back (100-fault sync chaos run, 34.7 s). A cycle whose step changed
 * something or awaits a confirmation asks for the next one a settle time later instead. A run of
 * such quick cycles is capped, so a standby that never confirms costs one cycle per loop_wait
 * again, not five a second; a steady cycle starts a new run.
 */
public final class SyncFollowUp {
    static final int MAX_QUICK_CYCLES = 8;

    private int quickCycles;
    private OptionalLong dueAt = OptionalLong.empty();

    /** A leader's cycle begins: what the last one asked for is spent, whether or not a step follows. */
    public void cycleStarts() {
        dueAt = OptionalLong.empty();
    }

    /** The leader's cycle at {@code nowNanos} ended with {@code step}. */
    public void after(SyncPlan.Step step, long nowNanos) {
        if (step instanceof SyncPlan.Steady) {
            idle();
            return;
        }
        if (quickCycles >= MAX_QUICK_CYCLES) {
            dueAt = OptionalLong.empty();
            return;
        }
        quickCycles++;
        dueAt = OptionalLong.of(nowNanos + SyncConfirmation.SETTLE_NANOS);
    }

    /** This cycle did not lead: nothing to follow up, and a later leadership starts a fresh run. */
    public void idle() {
        quickCycles = 0;
        dueAt = OptionalLong.empty();
    }

    /** When the next cycle is due sooner than loop_wait, on the cycle clock; empty when it is not. */
    public OptionalLong dueAt() {
        return dueAt;
    }
}
