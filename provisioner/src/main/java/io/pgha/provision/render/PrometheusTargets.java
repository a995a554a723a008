package io.pgha.provision.render;

import io.pgha.config.HostPort;
import io.pgha.provision.inventory.InfraNode;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.inventory.Settings;
import io.pgha.provision.plan.DesiredDirectory;
import io.pgha.provision.plan.DesiredFile;
import io.pgha.provision.plan.HostDesired;

import java.util.List;
import java.util.Map;

/**
 * Prometheus file_sd targets, one file per member on every infra node, as Pigsty lays them out:
 * {@code <prometheus_sd_dir>/pgsql/<member>.yml} naming the daemon's {@code /metrics} (its REST port)
 * and HAProxy's exporter, labelled with cluster, instance and address. Prometheus rereads the
 * directory by itself; nothing is restarted.
 */
public final class PrometheusTargets {
    /** The bridge's default exporter listen address ({@code *:9101}), which the rendered pgha.yml keeps. */
    static final int HAPROXY_METRICS_PORT = 9101;

    private PrometheusTargets() {
    }

    public static String directory(Settings s) {
        return s.prometheusSdDir() + "/pgsql";
    }

    public static String file(Settings s, String member) {
        return directory(s) + "/" + member + ".yml";
    }

    /** What one infra node holds for the members of {@code members}: the directory and a file per member. */
    static HostDesired on(InfraNode node, Inventory inv, Map<PgCluster, List<PgHost>> members, String inventoryName) {
        Settings s = inv.settings();
        List<DesiredDirectory> dirs = List.of(new DesiredDirectory(s.prometheusSdDir(), "0755", "root", "root"),
                new DesiredDirectory(directory(s), "0755", "root", "root"));
        List<DesiredFile> files = members.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(h -> DesiredFile.rootOwned(file(s, h.memberName(e.getKey().name())),
                        render(e.getKey(), h, inventoryName), "0644")))
                .toList();
        return new HostDesired(node.address(), List.of(node.name() + " (monitoring targets)"), List.of(), dirs, files, List.of(),
                Map.of(), List.of());
    }

    static String render(PgCluster c, PgHost h, String inventoryName) {
        String member = h.memberName(c.name());
        return "# " + member + " of cluster " + c.name() + ": written by pgha provision from " + inventoryName
                + "; edit the inventory, not this file.\n"
                + "- labels: { cls: " + c.name() + ", ins: " + member + ", ip: " + h.address() + " }\n"
                + "  targets: [ " + target(h.address(), c.vars().restPort()) + ", " + target(h.address(), HAPROXY_METRICS_PORT) + " ]\n";
    }

    private static String target(String address, int port) {
        return new HostPort(address, port).toString();
    }
}
