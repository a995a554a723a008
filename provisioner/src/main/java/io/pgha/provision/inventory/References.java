package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names that must exist in the cluster: a database's owner and the roles a user is granted.
 * They are created in one pass, so naming a role nobody declares would fail half-way through
 * an apply; it is refused here instead.
 */
final class References {
    private References() {
    }

    static void check(Scope vars, ClusterVars cluster, Settings settings) {
        Set<String> declared = cluster.users().stream().map(PgUser::name).collect(Collectors.toSet());
        for (Node user : vars.get("pg_users").items()) {
            for (Node role : user.get("roles").items()) {
                Node name = role.value() instanceof Map<?, ?> ? role.get("name") : role;
                if (name.value() instanceof String s && !exists(s, declared, settings)) {
                    name.problem("role " + s + " is not declared: add it to pg_users (the default roles "
                            + String.join(", ", DefaultRoles.NAMES) + " need no declaration)");
                }
            }
        }
        for (Node db : vars.get("pg_databases").items()) {
            Node owner = db.get("owner");
            if (owner.value() instanceof String s && !exists(s, declared, settings)) {
                owner.problem("user " + s + " is not declared: add it to pg_users, or own the database with a declared user");
            }
        }
    }

    private static boolean exists(String role, Set<String> declared, Settings settings) {
        return declared.contains(role) || DefaultRoles.isImplicit(role) || settings.isSystemUser(role);
    }
}
