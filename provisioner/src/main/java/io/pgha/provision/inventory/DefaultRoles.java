package io.pgha.provision.inventory;

import java.util.List;

/**
 * Pigsty's RBAC skeleton, which pgha creates in every cluster as Pigsty does, so inventories may
 * grant them ({@code roles: [dbrole_admin]}) without declaring them.
 */
public final class DefaultRoles {
    /** In creation order: each may be granted the ones before it. */
    public static final List<String> NAMES = List.of("dbrole_readonly", "dbrole_offline", "dbrole_readwrite", "dbrole_admin");

    private DefaultRoles() {
    }

    /**
     * Whether {@code role} exists without being declared: a default role, or one of PostgreSQL's
     * predefined {@code pg_*} roles (the prefix is reserved, so no user can be named so).
     */
    public static boolean isImplicit(String role) {
        return NAMES.contains(role) || role.startsWith("pg_");
    }
}
