package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A HAProxy service every member of the cluster serves on {@code port}.
 *
 * @param dest     {@code postgres} (the member's pg_port) or a port number; {@code default} was already
 *                 resolved through {@code pg_default_service_dest}
 * @param check    the REST API path HAProxy checks on each member ({@code /primary}, {@code /read-only} …)
 * @param selector Pigsty's JMESPath over the members' vars choosing the servers ({@code []} = all)
 * @param backup   the selector of servers that only take traffic when no other is up
 */
public record PgService(String name, int port, String dest, String selector, Optional<String> backup, String check) {
    public static final String ALL = "[]";

    public PgService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(backup, "backup");
    }

    /**
     * Pigsty's four, with their ports and selectors; {@code primary} and {@code replica} go to
     * {@code defaultDest} (Pigsty's {@code dest: default}).
     */
    public static List<PgService> defaults(String defaultDest) {
        return List.of(
                new PgService("primary", 5433, defaultDest, ALL, Optional.empty(), "/primary"),
                new PgService("replica", 5434, defaultDest, ALL,
                        Optional.of("[? pg_role == `primary` || pg_role == `offline` ]"), "/read-only"),
                new PgService("default", 5436, "postgres", ALL, Optional.empty(), "/primary"),
                new PgService("offline", 5438, "postgres", "[? pg_role == `offline` || pg_offline_query ]",
                        Optional.of("[? pg_role == `replica` && !pg_offline_query]"), "/replica"));
    }
}
