package io.pgha.provision.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * Pigsty's {@code patroni_mode}: {@code default} manages the cluster, {@code pause} leaves it in
 * maintenance mode after provisioning, {@code remove} leaves PostgreSQL running without the HA daemon.
 */
public enum PatroniMode {
    DEFAULT, PAUSE, REMOVE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PatroniMode> ofKey(String key) {
        for (PatroniMode m : values()) {
            if (m.key().equals(key)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
