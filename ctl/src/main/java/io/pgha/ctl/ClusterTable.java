package io.pgha.ctl;

import io.pgha.dcs.model.Lsn;

import java.io.PrintWriter;
import java.util.List;

/** {@code pgha list} and {@code pgha topology} as text: header, member table, footer. */
final class ClusterTable {
    private ClusterTable() {
    }

    static void printList(ClusterView view, PrintWriter out) {
        print(view, view.members().stream().map(m -> new Topology.Node(m, 0)).toList(), out);
    }

    static void printTopology(ClusterView view, PrintWriter out) {
        print(view, Topology.of(view), out);
    }

    private static void print(ClusterView view, List<Topology.Node> nodes, PrintWriter out) {
        out.println("Cluster: " + view.scope() + view.systemId().map(id -> " (system id " + id + ")").orElse(""));
        Table t = new Table("Member", "Host", "Role", "State", "TL", "LSN", "Lag (bytes)", "Lag (MB)", "Pending restart", "Lease TTL", "Tags");
        for (Topology.Node n : nodes) {
            MemberRow m = n.member();
            t.row(n.indentedName(), m.hostPort(), m.role(), m.state(), m.timeline().orElse(null),
                    m.lsn().map(Lsn::format).orElse(null), m.lagBytes().orElse(null),
                    m.lagBytes().map(MemberRow::megabytes).orElse(null), m.pendingRestart() ? "*" : "",
                    m.leaseTtl().map(s -> s + " s").orElse(null), m.tagsText());
        }
        t.print(out);
        footer(view, out);
    }

    static void footer(ClusterView view, PrintWriter out) {
        view.members().stream().filter(m -> m.archiveStuckSince().isPresent()).forEach(m -> out.println("Archive stuck on " + m.name()
                + ": archive_command failing since " + m.archiveStuckSince().get() + " (see pg_stat_archiver and pgha backup check)"));
        view.standbyOf().ifPresent(s -> out.println("Standby cluster: replicating from " + s + "; its leader never promotes"
                + " (remove standby_cluster with pgha edit-config to promote it)"));
        if (view.leader().isEmpty()) {
            out.println("No leader: the cluster has no primary holding the leader key.");
        }
        if (view.paused()) {
            out.println("Maintenance mode: on (pgha resume ends it)");
        }
        view.synchronous().ifPresent(s -> out.println(s.line()));
        view.scheduledSwitchover().ifPresent(s -> out.println("Switchover scheduled at: " + s.at()
                + s.from().map(f -> " from: " + f).orElse("") + s.to().map(to -> " to: " + to).orElse("")));
    }
}
