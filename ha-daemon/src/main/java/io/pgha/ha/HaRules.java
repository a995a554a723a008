package io.pgha.ha;

import java.time.Duration;

/**
 * The settings the decision core consults, resolved from pgha.yml and the DCS config. Kept apart
 * from the YAML model so the core (and the simulation) can be driven without files.
 */
public record HaRules(
        Duration safetyMargin,
        Duration primaryStartTimeout,
        long maximumLagOnFailover,
        boolean noFailover,
        int failoverPriority) {

    public boolean mayPromote() {
        return !noFailover && failoverPriority > 0;
    }
}
