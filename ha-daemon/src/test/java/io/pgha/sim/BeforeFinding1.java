package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.FencePlan;
import io.pgha.ha.FenceStep;

/**
 * The fence rule as HaLoop had it before finding 1, selected by {@code -Dsim.haloop=before-fix} and
 * by {@link Finding1FenceDisarmedWhileDcsUnreachableTest}: on HOLD ON (DCS unreachable) a primary
 * that did not count as leading this cycle had its fence disarmed, instead of kept on the lease it
 * last renewed. Kept here, outside {@link FencePlan}, so the checker can show it finds two writers.
 */
final class BeforeFinding1 {
    private BeforeFinding1() {
    }

    static FenceStep fence(FencePlan plan, FencePlan.AfterActing fixed, Decision d, boolean leads, long failsafeGrantedUntil, long now) {
        if (!(d instanceof Decision.HoldOn) || !(fixed.fence() instanceof FenceStep.ArmAt)) {
            return fixed.fence(); // only a writer on HOLD ON is armed by the fixed rule, and only there did the old one differ
        }
        if (leads) {
            return new FenceStep.ArmOnLease();
        }
        return plan.deadline(failsafeGrantedUntil) > now ? new FenceStep.ArmAt(plan.deadline(failsafeGrantedUntil)) : new FenceStep.Disarm();
    }
}
