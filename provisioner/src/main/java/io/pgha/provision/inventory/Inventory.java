package io.pgha.provision.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated inventory: the DCS members, the PostgreSQL clusters in file order, the infra nodes
 * (where the monitoring targets go), the global settings, and the keys present in the file that
 * pgha does not implement (listed once each, sorted).
 */
public record Inventory(List<EtcdMember> etcd, Map<String, PgCluster> clusters, List<InfraNode> infra, Settings settings,
                        List<String> ignored) {
    public Inventory {
        etcd = List.copyOf(etcd);
        infra = List.copyOf(infra);
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        Objects.requireNonNull(settings, "settings");
        ignored = List.copyOf(ignored);
    }

    /** Every distinct address, the DCS members first, as the provisioner visits them. */
    public List<String> hosts() {
        Set<String> out = new LinkedHashSet<>();
        etcd.forEach(m -> out.add(m.address()));
        clusters.values().forEach(c -> c.hosts().forEach(h -> out.add(h.address())));
        infra.forEach(n -> out.add(n.address()));
        return new ArrayList<>(out);
    }

    /** The reader refuses a host in two clusters, so there is at most one. */
    public Optional<PgCluster> clusterOf(String host) {
        return clusters.values().stream().filter(c -> c.host(host).isPresent()).findFirst();
    }

    public Optional<EtcdMember> etcdMemberOn(String host) {
        return etcd.stream().filter(m -> m.address().equals(host)).findFirst();
    }
}
