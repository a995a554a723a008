package io.pgha.ha;

import java.time.Duration;

/**
 * Which cycles renew the lease. A member that leads renews every cycle: its fence, and the
 * failover clock of everyone else, run on that lease. So does a member that saw no leader, since
 * it may take the key this cycle and must not carry a half-spent lease into leading. Any other
 * member renews only when skipping would leave the next cycle less than retry_timeout before the
 * lease lapses, which at {@code rto: norm} (ttl 8, loop_wait 2, retry 3) is every other cycle:
 * the keepalives of followers were a third of an idle cluster's etcd requests and guard nothing
 * but their member keys.
 */
public final class RenewalPlan {
    private RenewalPlan() {
    }

    /**
     * @param ledLastCycle   this member held the leader key at the end of its last cycle
     * @param sawLeader      the last cluster view this member read had a leader key
     * @param leaseLeftNanos how long the lease has yet by this member's clock (deadline - now)
     */
    public static boolean beforeReading(boolean ledLastCycle, boolean sawLeader, long leaseLeftNanos, Duration loopWait, Duration retryTimeout) {
        return ledLastCycle || !sawLeader || leaseLeftNanos <= loopWait.plus(retryTimeout).toNanos();
    }

    /**
     * After a cycle that did not renew reads the DCS: renew before deciding when the view has no
     * leader key or names this member, for the reasons above.
     */
    public static boolean afterReading(boolean renewed, boolean leaderKeyPresent, boolean leaderIsMe) {
        return !renewed && (!leaderKeyPresent || leaderIsMe);
    }
}
