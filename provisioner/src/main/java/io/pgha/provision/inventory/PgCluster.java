package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A group with {@code pg_cluster}: its hosts ordered by {@code pg_seq} and its merged vars. */
public record PgCluster(String name, List<PgHost> hosts, ClusterVars vars) {
    public PgCluster {
        Objects.requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(vars, "vars");
    }

    /** The reader guarantees exactly one. */
    public PgHost primary() {
        return hosts.stream().filter(h -> h.role() == PgRole.PRIMARY).findFirst()
                .orElseThrow(() -> new IllegalStateException("cluster " + name + " has no primary"));
    }

    /** The remote primary this cluster follows, when it is a standby cluster: pg_upstream on its primary. */
    public Optional<String> standbyOf() {
        return primary().upstream();
    }

    public Optional<PgHost> host(String address) {
        return hosts.stream().filter(h -> h.address().equals(address)).findFirst();
    }
}
