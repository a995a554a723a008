package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        SeqHosts.read(hosts, Where.INFRA_HOST, "infra_seq", "a positive integer, as Pigsty numbers its infra nodes", "infra node", r)
                .forEach((address, seq) -> out.add(new InfraNode(address, seq)));
        out.sort(Comparator.comparingInt(InfraNode::seq));
        return out;
    }
}
