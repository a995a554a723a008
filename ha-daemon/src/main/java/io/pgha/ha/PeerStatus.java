package io.pgha.ha;

/** What one peer said when asked over REST during a leader race. */
public sealed interface PeerStatus {
    /** No answer in time: an unreachable peer neither blocks the race nor counts as a rival. */
    record Unreachable(String reason) implements PeerStatus {
    }

    record Answered(boolean runsAsPrimary, long walPosition, boolean noFailover, int failoverPriority) implements PeerStatus {
        /** A rival that could win the race instead of us. */
        public boolean promotable() {
            return !noFailover && failoverPriority > 0;
        }
    }
}
