package io.pgha.cli;

import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.Cluster;

import java.util.Optional;

/**
 * Why {@code pgha restore --replace} must not touch this cluster now, decided before anything is
 * moved or written: a scope typed that is not this config's, pgha still running on a member, or a
 * postmaster on the data directory. Each reason names what to do.
 */
final class ReplaceRefusals {
    private ReplaceRefusals() {
    }

    static Optional<String> check(String typedScope, PghaConfig config, Cluster cluster, Optional<Long> postmasterPid) {
        if (!typedScope.equals(config.scope())) {
            return Optional.of("--replace " + typedScope + " does not match the scope " + config.scope() + " of " + config.name()
                    + "'s pgha.yml: type the scope of the cluster to replace; nothing changed");
        }
        if (!cluster.members().isEmpty()) {
            return Optional.of("pgha still runs on members " + String.join(", ", cluster.members().keySet()) + " of scope " + config.scope()
                    + ": stop it on every node first; nothing changed");
        }
        if (cluster.leaderName().isPresent()) {
            return Optional.of("the leader key of scope " + config.scope() + " is still held by " + cluster.leaderName().get()
                    + " (its lease has not expired): stop pgha on every node first and wait for the ttl; nothing changed");
        }
        if (postmasterPid.isPresent()) {
            return Optional.of("a postmaster (pid " + postmasterPid.get() + ") runs on " + config.postgresql().dataDir()
                    + ": stop PostgreSQL first; nothing changed");
        }
        return Optional.empty();
    }
}
