package io.pgha.vip;

/**
 * The decision: hold the VIP, release it, or leave the interface as it is, and why. A transition is
 * logged when the cause changes, or when a steady reason (one without running numbers in it, such
 * as which node the leader key names) does.
 */
public sealed interface Want {
    Cause cause();

    String reason();

    record Hold(Cause cause, String reason) implements Want {
    }

    record Release(Cause cause, String reason) implements Want {
    }

    /**
     * Touch nothing: just started and the DCS has not answered yet. Releasing here would drop the
     * VIP on every restart of the manager on the leader's node; binding would be a guess.
     */
    record Wait(Cause cause, String reason) implements Want {
    }

    /** Whether going from {@code previous} to this is worth a log line. */
    default boolean differsFrom(Want previous) {
        return previous == null || previous.cause() != cause() || cause().steady && !previous.reason().equals(reason());
    }

    enum Cause {
        LEADER_IS_THIS_NODE(true),
        LEADER_IS_ANOTHER_NODE(true),
        NO_LEADER(true),
        STARTING(false),
        DCS_NEVER_ANSWERED(false),
        DCS_LOST_NOT_LEADER(false),
        DCS_LOST_WITHIN_GRACE(false),
        DCS_LOST_FAILSAFE(false),
        DCS_LOST_GRACE_EXPIRED(false);

        final boolean steady;

        Cause(boolean steady) {
            this.steady = steady;
        }
    }
}
