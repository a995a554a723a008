package io.pgha.dcs;

import java.time.Duration;

/**
 * This node's lease as last confirmed by the DCS. {@code deadlineNanos} is on the
 * {@link MonotonicClock} and counts from when the confirming request was <em>sent</em>: the DCS
 * measures the TTL from when it received it, which is later, so our deadline is never the later of
 * the two.
 */
public record Lease(long id, Duration ttl, long deadlineNanos) {

    public Duration remaining(MonotonicClock clock) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - clock.nanos()));
    }

    public boolean isValid(MonotonicClock clock) {
        return deadlineNanos - clock.nanos() > 0;
    }
}
