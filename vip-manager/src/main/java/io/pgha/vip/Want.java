package io.pgha.vip;

/**
 * The decision: should this node hold the VIP, and why. The cause is what a transition is logged on
 * (the reason's numbers change every second; the cause does not).
 */
public sealed interface Want {
    Cause cause();

    String reason();

    boolean hold();

    record Hold(Cause cause, String reason) implements Want {
        @Override
        public boolean hold() {
            return true;
        }
    }

    record Release(Cause cause, String reason) implements Want {
        @Override
        public boolean hold() {
            return false;
        }
    }

    enum Cause {
        LEADER_IS_THIS_NODE,
        LEADER_IS_ANOTHER_NODE,
        NO_LEADER,
        DCS_NEVER_ANSWERED,
        DCS_LOST_NOT_LEADER,
        DCS_LOST_WITHIN_GRACE,
        DCS_LOST_FAILSAFE,
        DCS_LOST_GRACE_EXPIRED,
        STOPPING
    }
}
