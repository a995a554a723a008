package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A role from {@code pg_users}, attributes as in {@code CREATE ROLE}; {@code roles} are the roles it
 * is granted membership of.
 */
public record PgUser(String name, Optional<Secret> password, boolean login, boolean superuser, boolean createdb,
                     boolean createrole, boolean inherit, boolean replication, boolean bypassrls,
                     Optional<Integer> connlimit, Optional<String> expireAt, List<String> roles,
                     Optional<String> comment, State state) {
    public PgUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connlimit, "connlimit");
        Objects.requireNonNull(expireAt, "expireAt");
        roles = List.copyOf(roles);
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(state, "state");
    }
}
