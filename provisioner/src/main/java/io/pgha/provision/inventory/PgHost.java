package io.pgha.provision.inventory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One member of a PostgreSQL cluster as the inventory declares it.
 *
 * @param upstream a replica: the address of the member it cascades from; the primary: the remote primary its
 *                 cluster follows as a standby cluster (Pigsty's {@code pg_upstream} on a primary)
 * @param delay    {@code recovery_min_apply_delay}: of a delayed replica, or on the primary of a standby cluster,
 *                 of the whole cluster (a delayed cluster)
 * @param offlineQuery whether it serves the {@code offline} service although it is not an offline instance
 */
public record PgHost(String address, int seq, PgRole role, Optional<String> upstream, Optional<Duration> delay,
                     boolean offlineQuery) {
    public PgHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(delay, "delay");
    }

    /** Pigsty's instance name, which is also the DCS member name and the HAProxy server name. */
    public String memberName(String cluster) {
        return cluster + "-" + seq;
    }
}
