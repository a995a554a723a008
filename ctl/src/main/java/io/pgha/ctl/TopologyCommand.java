package io.pgha.ctl;

import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code pgha topology}: {@code pgha list} as a replication tree. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Show the members as a replication tree: leader, its replicas, cascades (replicatefrom tag).")
public final class TopologyCommand extends ShowCluster {
    @Override
    void printText(ClusterView view, PrintWriter out) {
        ClusterTable.printTopology(view, out);
    }
}
