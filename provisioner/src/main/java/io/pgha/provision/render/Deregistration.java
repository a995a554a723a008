package io.pgha.provision.render;

import io.pgha.provision.inventory.EtcdMember;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.transport.Shell;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code provision remove} takes away besides the member itself: its monitoring targets on the
 * infra nodes and its DNS records in etcd, so that neither Prometheus nor a client keeps looking
 * for it.
 */
public final class Deregistration {
    /** A command to run as root on {@code host}. */
    public record HostCommand(String host, String what, String command) {
    }

    private Deregistration() {
    }

    public static List<HostCommand> of(Inventory inv, PgCluster c, PgHost h) {
        List<HostCommand> out = new ArrayList<>();
        String member = h.memberName(c.name());
        String file = PrometheusTargets.file(inv.settings(), member);
        inv.infra().forEach(n -> out.add(new HostCommand(n.address(), "remove monitoring target " + file, "rm -f " + Shell.quote(file))));
        if (!inv.etcd().isEmpty()) {
            EtcdMember e = inv.etcd().get(0);
            DnsRecords dns = new DnsRecords(c, inv.settings(), ClusterSteps.etcdUrl(e, inv.settings().etcdPort()));
            dns.memberKeys(h).forEach(k -> out.add(new HostCommand(e.address(), "deregister DNS record " + k, dns.delete(k))));
        }
        return out;
    }
}
