package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        SeqHosts.read(hosts, Where.ETCD_HOST, "etcd_seq", "a positive integer; the member is named etcd-<etcd_seq>", "etcd member", r)
                .forEach((address, seq) -> out.add(new EtcdMember(address, seq)));
        out.sort(Comparator.comparingInt(EtcdMember::seq));
        return out;
    }
}
