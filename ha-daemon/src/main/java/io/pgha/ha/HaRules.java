package io.pgha.ha;

import java.time.Duration;

/**
 * The settings the decision core consults, resolved from pgha.yml and the DCS config. Kept apart
 * from the YAML model so the core (and the simulation) can be driven without files.
 *
 * @param paused maintenance mode ({@code pause} in the DCS config): no automatic promotion,
 *               demotion, start or stop; only operator requests act
 * @param synchronousMode only the members the {@code sync} key names (and its leader) may win a race
 */
public record HaRules(
        Duration safetyMargin,
        Duration primaryStartTimeout,
        long maximumLagOnFailover,
        boolean noFailover,
        int failoverPriority,
        boolean paused,
        Duration loopWait,
        boolean synchronousMode) {

    public HaRules(Duration safetyMargin, Duration primaryStartTimeout, long maximumLagOnFailover, boolean noFailover, int failoverPriority) {
        this(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, false, Duration.ofSeconds(2), false);
    }

    public boolean mayPromote() {
        return !noFailover && failoverPriority > 0;
    }

    public HaRules paused(boolean p) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, p, loopWait, synchronousMode);
    }

    public HaRules synchronous(boolean on) {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, noFailover, failoverPriority, paused, loopWait, on);
    }
}
