package io.pgha.ctl;

import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.model.Cluster;

/**
 * The CLI's DCS session: linearizable reads (the operator sees the cluster as it is now, not a
 * lagging etcd member's view) and the conditional writes of edit-config and remove.
 */
final class ClusterAccess implements AutoCloseable {
    private final Dcs dcs;

    private ClusterAccess(Dcs dcs) {
        this.dcs = dcs;
    }

    static ClusterAccess open(Target target) {
        return new ClusterAccess(Dcs.open(target.layout(), target.dcs(), target.timeout()));
    }

    Cluster read() {
        return dcs.read(Consistency.LINEARIZABLE);
    }

    /** Like {@link #read()}, and a usage error when nothing of the cluster is in the DCS: a typo in the scope. */
    Cluster readExisting() {
        Cluster c = read();
        if (c.initialize().isEmpty() && c.config().isEmpty() && c.members().isEmpty() && c.leader().isEmpty()) {
            throw CtlError.usage("no cluster \"" + dcs.layout().scope() + "\" under " + dcs.layout().prefix() + " in the DCS");
        }
        return c;
    }

    Dcs dcs() {
        return dcs;
    }

    @Override
    public void close() {
        dcs.close();
    }
}
