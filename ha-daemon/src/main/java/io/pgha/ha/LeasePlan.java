package io.pgha.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * When a member moves to a lease of another TTL. The dynamic config's {@code ttl} is a promise
 * about how long a dead node keeps the leader key; it holds only once every member's lease was
 * granted for it, so each member moves onto a new lease at the end of the first cycle that reads the
 * change (Patroni applies a new ttl at its next leader update). The comparison is with the TTL the
 * lease was <em>asked</em> for: etcd raises one below its minimum, and re-asking would never end.
 */
public final class LeasePlan {
    private LeasePlan() {
    }

    /** Move from a lease asked for {@code from} to one of {@code to}; {@code why} says so in words. */
    public record Change(Duration from, Duration to, String why) {
    }

    /**
     * @param configured   ttl as the dynamic config (or pgha.yml) says now
     * @param leaseAskedFor the TTL the current lease was requested with
     * @param dcsReachable this cycle read the DCS: moving keys needs it, and an unreachable DCS is no time to try
     */
    public static Optional<Change> change(Duration configured, Duration leaseAskedFor, boolean dcsReachable) {
        if (!dcsReachable || configured.equals(leaseAskedFor) || configured.toSeconds() < 1) {
            return Optional.empty();
        }
        return Optional.of(new Change(leaseAskedFor, configured, "dynamic config changed (ttl " + configured.toSeconds()
                + " s, lease asked for " + leaseAskedFor.toSeconds() + " s)"));
    }
}
