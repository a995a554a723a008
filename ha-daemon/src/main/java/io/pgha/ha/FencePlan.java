package io.pgha.ha;

import java.time.Duration;

/**
 * When the fence fires: the deadline after which a primary stops writing unless the loop has
 * confirmed its lease again. The HA loop and the deterministic simulation both go by this plan, so
 * the simulation checks the rule the daemon runs. Every deadline is a safety margin before the
 * lease's (or the failsafe promise's) own, so PostgreSQL stops before anyone else may take over.
 */
public final class FencePlan {
    private final long marginNanos;

    public FencePlan(Duration safetyMargin) {
        this.marginNanos = safetyMargin.toNanos();
    }

    /** The fence deadline for a lease running out at {@code leaseDeadlineNanos}. */
    public long deadline(long leaseDeadlineNanos) {
        return leaseDeadlineNanos - marginNanos;
    }

    /** Before deciding: a primary that holds the key is fenced on the lease it renewed at the cycle's start. */
    public FenceStep beforeDeciding(boolean holdsLeaderKey, boolean runsAsPrimary, boolean paused, long leaseDeadlineNanos) {
        return holdsLeaderKey && runsAsPrimary && !paused ? new FenceStep.ArmAt(deadline(leaseDeadlineNanos)) : new FenceStep.Keep();
    }

    /**
     * How a cycle ended.
     *
     * @param leads                     holds the leader key after acting (held it, or won it this cycle, and gave nothing up)
     * @param primaryAfter              PostgreSQL runs as primary after acting
     * @param failsafeGrantedUntilNanos the members' failsafe promise held before this cycle, 0 when none
     */
    public record CycleEnd(Decision decision, boolean leads, boolean primaryAfter, boolean paused, long leaseDeadlineNanos,
                           long failsafeGrantedUntilNanos, long nowNanos) {
    }

    /** The fence and watchdog steps for a cycle's end, and the failsafe promise that stands after it. */
    public record AfterActing(FenceStep fence, WatchdogStep watchdog, long failsafeGrantedUntilNanos) {
    }

    public AfterActing afterActing(CycleEnd c) {
        long granted = c.failsafeGrantedUntilNanos();
        if (c.decision() instanceof Decision.HoldOn h && h.grantsFailsafe()) {
            granted = Math.max(granted, h.failsafeGrantedUntilNanos());
        }
        if (!c.primaryAfter()) {
            granted = 0; // a promise to a primary that is no more
        }
        boolean writes = c.primaryAfter() && !c.paused();
        if (c.decision() instanceof Decision.HoldOn h && writes) {
            // DCS unreachable: nothing confirms the key, but the lease last renewed still runs out. The
            // fence must stay set on it; the next cycle may come only after retry_timeout, too late to
            // demote before a replica takes over (found by the deterministic simulation, finding 1).
            // In failsafe mode the members' acknowledgements may carry it further, never the loop.
            FenceStep fence = new FenceStep.ArmAt(deadline(Math.max(c.leaseDeadlineNanos(), granted)));
            return new AfterActing(fence, h.grantsFailsafe() ? new WatchdogStep.Ping() : new WatchdogStep.Unchanged(), granted);
        }
        if (!c.leads() || !writes) {
            FenceStep fence;
            if (writes && deadline(granted) > c.nowNanos()) {
                fence = new FenceStep.ArmAt(deadline(granted)); // no key (yet): the members' promise still lets it write
            } else if (writes) {
                // Still primary without the key this cycle (a take-over or a race to take it back that did
                // not go through): the deadline armed before, or taken over from the earlier run's keeper,
                // still stands. Disarming it here let the simulation find two writers.
                fence = new FenceStep.Keep();
            } else {
                fence = new FenceStep.Disarm();
            }
            return new AfterActing(fence, new WatchdogStep.StandDown(writes), granted);
        }
        return new AfterActing(new FenceStep.ArmOnLease(), new WatchdogStep.Activate(), granted);
    }

    /**
     * Before this member's keys move to a new lease ({@link LeasePlan}): from the move on they expire
     * with the new lease, which may run out sooner than the old one (ttl 30 → 10). A primary writing
     * under the key is fenced by the earlier of both deadlines before anything moves, so it never
     * writes past the lease its key is on; the cycle's end arms the fence on the new lease.
     */
    public FenceStep beforeMovingLease(boolean writesUnderKey, long currentLeaseDeadlineNanos, long newLeaseDeadlineNanos) {
        return writesUnderKey ? new FenceStep.ArmAt(deadline(Math.min(currentLeaseDeadlineNanos, newLeaseDeadlineNanos)))
                : new FenceStep.Keep();
    }

    /**
     * The keepalive found the lease gone in the DCS, and the key with it (maybe before our deadline:
     * the chaos suite saw etcd drop a lease early). A primary must stop now, before a new lease is
     * granted, not at the deadline — unless the members' failsafe promise still runs.
     */
    public FenceStep whenLeaseFoundGone(long failsafeGrantedUntilNanos, long nowNanos) {
        long promised = deadline(failsafeGrantedUntilNanos);
        return promised > nowNanos ? new FenceStep.ArmAt(promised) : new FenceStep.FireIfArmed();
    }
}
