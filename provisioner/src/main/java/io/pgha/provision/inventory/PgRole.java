package io.pgha.provision.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * The role a host is created with ({@code pg_role}). Only the initial one: after a failover the
 * DCS leader key is the truth, not the inventory.
 */
public enum PgRole {
    PRIMARY, REPLICA, OFFLINE;

    /** The inventory spelling: primary, replica, offline. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PgRole> ofKey(String key) {
        for (PgRole r : values()) {
            if (r.key().equals(key)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
