package io.pgha.ha;

/** What the fence should do now; {@link FencePlan} says which. */
public sealed interface FenceStep {
    /** Fire at {@code deadlineNanos} unless armed again before. */
    record ArmAt(long deadlineNanos) implements FenceStep {
    }

    /**
     * Fire a safety margin before the lease's deadline as it stands when the step is applied: the
     * daemon may renew the lease first, when a long cycle spent much of it.
     */
    record ArmOnLease() implements FenceStep {
    }

    /** Leave the deadline armed before, if any, as it is. */
    record Keep() implements FenceStep {
    }

    /** Nothing to fence: this member does not write. */
    record Disarm() implements FenceStep {
    }

    /** The lease is gone with the key: an armed fence fires now; an unarmed one stays so. */
    record FireIfArmed() implements FenceStep {
    }
}
