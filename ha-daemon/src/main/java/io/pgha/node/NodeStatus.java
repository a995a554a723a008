package io.pgha.node;

import io.pgha.dcs.model.Cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything this node knows about itself, as one immutable value the HA loop publishes after
 * every cycle (and at once when PostgreSQL exits). The REST API, the metrics and the member key are
 * all rendered from it, so they never disagree with each other.
 *
 * <p>Whether this node may call itself primary is decided at the moment of asking, from
 * {@link #leaseDeadlineNanos()} on the monotonic clock: a stuck HA loop cannot keep a stale "yes".
 *
 * @param holdsLeaderKey     the last cycle saw the leader key bound to this node's lease
 * @param leaseDeadlineNanos monotonic deadline of this node's lease (meaningful with holdsLeaderKey)
 * @param cluster            last snapshot read from the DCS; empty while the DCS is unreachable
 * @param dcsLastSeenEpochSeconds wall-clock second of the last successful DCS round trip, 0 if never
 * @param dcsRoundTripNanos  duration of the last DCS read
 * @param lastCycleNanos     monotonic time the last HA cycle finished (liveness)
 * @param ttl                the TTL the DCS granted this node's lease, which a ttl changed in the DCS config
 *                           reaches only once the node has moved to a new lease
 * @param lastAction         verb of the last decision ("keep leading", "follow", ...)
 * @param lastReason         its reason in words
 * @param memberState        pgha's own recovery state of this member ("", "rewind failed (3 attempts)", ...)
 * @param watchdog           the watchdog device's state
 * @param failsafe           failsafe mode: enabled, active, the failsafe key last read
 */
public record NodeStatus(
        String scope,
        String name,
        String version,
        PgSnapshot pg,
        boolean holdsLeaderKey,
        long leaseDeadlineNanos,
        Optional<Cluster> cluster,
        long dcsLastSeenEpochSeconds,
        long dcsRoundTripNanos,
        long lastCycleNanos,
        Duration ttl,
        Duration loopWait,
        Map<String, Object> tags,
        boolean paused,
        String lastAction,
        String lastReason,
        String memberState,
        WatchdogStatus watchdog,
        FailsafeStatus failsafe) {

    public NodeStatus {
        tags = Map.copyOf(tags);
        Objects.requireNonNull(failsafe, "failsafe");
    }

    /** Without a watchdog (mode off). */
    public NodeStatus(String scope, String name, String version, PgSnapshot pg, boolean holdsLeaderKey, long leaseDeadlineNanos,
                      Optional<Cluster> cluster, long dcsLastSeenEpochSeconds, long dcsRoundTripNanos, long lastCycleNanos,
                      Duration ttl, Duration loopWait, Map<String, Object> tags, boolean paused, String lastAction,
                      String lastReason, String memberState) {
        this(scope, name, version, pg, holdsLeaderKey, leaseDeadlineNanos, cluster, dcsLastSeenEpochSeconds, dcsRoundTripNanos,
                lastCycleNanos, ttl, loopWait, tags, paused, lastAction, lastReason, memberState, WatchdogStatus.OFF);
    }

    /** Failsafe mode off. */
    public NodeStatus(String scope, String name, String version, PgSnapshot pg, boolean holdsLeaderKey, long leaseDeadlineNanos,
                      Optional<Cluster> cluster, long dcsLastSeenEpochSeconds, long dcsRoundTripNanos, long lastCycleNanos,
                      Duration ttl, Duration loopWait, Map<String, Object> tags, boolean paused, String lastAction,
                      String lastReason, String memberState, WatchdogStatus watchdog) {
        this(scope, name, version, pg, holdsLeaderKey, leaseDeadlineNanos, cluster, dcsLastSeenEpochSeconds, dcsRoundTripNanos,
                lastCycleNanos, ttl, loopWait, tags, paused, lastAction, lastReason, memberState, watchdog, FailsafeStatus.OFF);
    }

    /**
     * Holds the leader key under a lease that has not run out on our own clock, or — the DCS being
     * unreachable — leads on the acknowledgements of every member in the failsafe key (Patroni
     * reports itself leader then, too).
     */
    public boolean leadsAt(long nowNanos) {
        return holdsLeaderKey && leaseDeadlineNanos - nowNanos > 0 || failsafe.activeAt(nowNanos);
    }

    /** The one condition for /primary: an unexpired lease (or an active failsafe) and PostgreSQL running read-write. */
    public boolean isWritablePrimaryAt(long nowNanos) {
        return leadsAt(nowNanos) && pg.runsAsPrimary();
    }

    public long leaseSecondsLeft(long nowNanos) {
        return holdsLeaderKey ? Math.max(0, (leaseDeadlineNanos - nowNanos) / 1_000_000_000L) : 0;
    }
}
