package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * VIPs across clusters: two clusters holding one address would answer ARP for it from two
 * primaries, and a VIP that is some host's own address takes that host off the network.
 */
final class VipConflicts {
    private VipConflicts() {
    }

    static void check(Map<String, PgCluster> clusters, List<EtcdMember> etcd, Node children, Node allVars) {
        Map<String, String> hostOwner = new HashMap<>();
        etcd.forEach(m -> hostOwner.put(m.address(), "etcd member " + m.address()));
        clusters.values().forEach(c -> c.hosts().forEach(h -> hostOwner.put(h.address(), c.name() + " member " + h.address())));
        Map<String, String> vipOwner = new HashMap<>();
        for (PgCluster c : clusters.values()) {
            Optional<Vip> vip = c.vars().vip();
            if (vip.isEmpty()) {
                continue;
            }
            Node at = Scope.of(children.get(c.name()).get("vars"), allVars).get("pg_vip_address");
            String address = vip.get().address();
            String other = vipOwner.putIfAbsent(address, c.name());
            if (other != null) {
                at.problem("the VIP " + address + " is also " + other + "'s: each cluster needs its own VIP");
            }
            String host = hostOwner.get(address);
            if (host != null && c.host(address).isEmpty()) {
                at.problem("the VIP " + address + " is the address of " + host + ": pick a free address in the members' subnet");
            }
        }
    }
}
