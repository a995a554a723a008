package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code infra} group: each host with its {@code infra_seq}. pgha installs nothing there; it
 * writes the file_sd targets Prometheus (or VictoriaMetrics) on that host reads. The group's many
 * other Pigsty keys are listed as ignored.
 */
final class InfraReader {
    static final String GROUP = "infra";

    private InfraReader() {
    }

    static List<InfraNode> read(Node group, Reading r) {
        r.checkVars(group.get("vars"), Where.INFRA_VARS);
        Node hosts = group.get("hosts");
        if (!hosts.mapping()) {
            return List.of();
        }
        List<InfraNode> out = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        for (var e : hosts.entries().entrySet()) {
            String address = e.getKey();
            Node host = e.getValue();
            if (!Addresses.isHost(address)) {
                host.problem("expected an IPv4 or IPv6 address or a host name as the host's key, got " + Values.describe(address));
                continue;
            }
            if (!r.checkVars(host, Where.INFRA_HOST)) {
                continue;
            }
            Node seqNode = host.get("infra_seq").required("a positive integer, as Pigsty numbers its infra nodes");
            Optional<Integer> seq = Read.positiveInt(seqNode);
            if (seq.isEmpty()) {
                continue;
            }
            String other = seen.putIfAbsent(seq.get(), address);
            if (other != null) {
                seqNode.problem("infra_seq " + seq.get() + " is also " + other + "'s: each infra node needs its own");
                continue;
            }
            out.add(new InfraNode(address, seq.get()));
        }
        out.sort(Comparator.comparingInt(InfraNode::seq));
        return out;
    }
}
