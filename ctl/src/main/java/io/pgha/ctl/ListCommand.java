package io.pgha.ctl;

import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code pgha list}: the members as a table. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Show the cluster's members: role, state, timeline, lag, tags, pending restart.")
public final class ListCommand extends ShowCluster {
    @Override
    void printText(ClusterView view, PrintWriter out) {
        ClusterTable.printList(view, out);
    }
}
