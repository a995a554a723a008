package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code etcd} group: the DCS members, each with its {@code etcd_seq}. */
final class EtcdReader {
    static final String GROUP = "etcd";

    private EtcdReader() {
    }

    static List<EtcdMember> read(Node group, Reading r) {
        r.checkVars(group.get("vars"), Where.ETCD_VARS);
        Node hosts = group.get("hosts");
        if (!hosts.mapping()) {
            return List.of();
        }
        if (hosts.keys().isEmpty()) {
            hosts.problem("the DCS needs at least one etcd member, like 10.10.10.10: {etcd_seq: 1}");
            return List.of();
        }
        List<EtcdMember> out = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        for (var e : hosts.entries().entrySet()) {
            String address = e.getKey();
            Node host = e.getValue();
            if (!Addresses.isHost(address)) {
                host.problem("expected an IPv4 or IPv6 address or a host name as the host's key, got " + Values.describe(address));
                continue;
            }
            if (!r.checkVars(host, Where.ETCD_HOST)) {
                continue;
            }
            Node seqNode = host.get("etcd_seq").required("a positive integer; the member is named etcd-<etcd_seq>");
            Optional<Integer> seq = Read.positiveInt(seqNode);
            if (seq.isEmpty()) {
                continue;
            }
            String other = seen.putIfAbsent(seq.get(), address);
            if (other != null) {
                seqNode.problem("etcd_seq " + seq.get() + " is also " + other + "'s: each etcd member needs its own");
                continue;
            }
            out.add(new EtcdMember(address, seq.get()));
        }
        out.sort(Comparator.comparingInt(EtcdMember::seq));
        return out;
    }
}
