package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts of a group whose members are numbered by a {@code *_seq} key (etcd, infra): address and
 * number, each number unique. Problems name the host and the fix.
 */
final class SeqHosts {
    private SeqHosts() {
    }

    /**
     * @param seqKey  the numbering key, e.g. {@code etcd_seq}
     * @param meaning what the number is for, said when it is missing
     * @param kind    what a host is, said when two share a number ("etcd member")
     */
    static Map<String, Integer> read(Node hosts, Where where, String seqKey, String meaning, String kind, Reading r) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Map<Integer, String> seen = new HashMap<>();
        for (var e : hosts.entries().entrySet()) {
            String address = e.getKey();
            Node host = e.getValue();
            if (!Addresses.isHost(address)) {
                host.problem("expected an IPv4 or IPv6 address or a host name as the host's key, got " + Values.describe(address));
                continue;
            }
            if (!r.checkVars(host, where)) {
                continue;
            }
            Node seqNode = host.get(seqKey).required(meaning);
            Optional<Integer> seq = Read.positiveInt(seqNode);
            if (seq.isEmpty()) {
                continue;
            }
            String other = seen.putIfAbsent(seq.get(), address);
            if (other != null) {
                seqNode.problem(seqKey + " " + seq.get() + " is also " + other + "'s: each " + kind + " needs its own");
                continue;
            }
            out.put(address, seq.get());
        }
        return out;
    }
}
