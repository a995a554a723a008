package io.pgha.provision.inventory;

import java.util.Locale;
import java.util.Optional;

/** Pigsty's {@code pg_conf} templates; pgha maps each to its tuning, and {@code crit} to synchronous replication. */
public enum PgConf {
    OLTP, OLAP, CRIT, TINY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Pigsty names the template file ({@code oltp.yml}); both spellings mean the same. */
    public static Optional<PgConf> ofKey(String key) {
        String k = key.endsWith(".yml") ? key.substring(0, key.length() - 4) : key;
        for (PgConf c : values()) {
            if (c.key().equals(k)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
