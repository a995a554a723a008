package io.pgha.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * The settings the decision core consults, resolved from pgha.yml and the DCS config. Kept apart
 * from the YAML model so the core (and the simulation) can be driven without files.
 *
 * @param paused          maintenance mode ({@code pause} in the DCS config): no automatic promotion,
 *                        demotion, start or stop; only operator requests act
 * @param synchronousMode only the members the {@code sync} key names (and its leader) may win a race
 * @param cannotLead      why this node may not lead right now although its tags allow it (a required
 *                        watchdog that is unusable); empty when nothing stands in the way
 * @param failsafeMode    {@code failsafe_mode}: a primary that cannot reach the DCS keeps running while
 *                        every member in the {@code failsafe} key acknowledges it, and only members
 *                        listed there may race
 * @param ttl             the lease ttl, which is also how long a failsafe acknowledgement lasts
 * @param standbyCluster  the cluster replicates from a primary elsewhere ({@code standby_cluster}): its
 *                        leader is a standby leader, which never promotes
 */
public record HaRules(
        Duration safetyMargin,
        Duration primaryStartTimeout,
        long maximumLagOnFailover,
        boolean noFailover,
        int failoverPriority,
        boolean paused,
        Duration loopWait,
        boolean synchronousMode,
        Optional<String> cannotLead,
        boolean failsafeMode,
        Duration ttl,
        boolean standbyCluster) {
    /** Patroni's default ttl, for the constructors that do not name one. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    public HaRules(Duration safetyMargin, Duration primaryStartTimeout, long maximumLagOnFailover, boolean noFailover, int failoverPriority) {
        this(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, false, Duration.ofSeconds(2));
    }

    public HaRules(Duration safetyMargin, Duration primaryStartTimeout, long maximumLagOnFailover, boolean noFailover, int failoverPriority,
                   boolean paused, Duration loopWait) {
        this(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait, false, Optional.empty(),
                false, DEFAULT_TTL, false);
    }

    public boolean mayPromote() {
        return whyNotLeader().isEmpty();
    }

    /** Empty when this node may lead; otherwise the reason, in words. */
    public Optional<String> whyNotLeader() {
        if (noFailover || failoverPriority <= 0) {
            return Optional.of("nofailover or failover_priority 0");
        }
        return cannotLead;
    }

    public HaRules paused(boolean p) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, p, loopWait, synchronousMode,
                cannotLead, failsafeMode, ttl, standbyCluster);
    }

    public HaRules synchronous(boolean on) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait, on,
                cannotLead, failsafeMode, ttl, standbyCluster);
    }

    public HaRules cannotLead(Optional<String> why) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait,
                synchronousMode, why, failsafeMode, ttl, standbyCluster);
    }

    public HaRules failsafe(boolean on, Duration leaseTtl) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait,
                synchronousMode, cannotLead, on, leaseTtl, standbyCluster);
    }

    public HaRules standby(boolean on) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait,
                synchronousMode, cannotLead, failsafeMode, ttl, on);
    }
}
