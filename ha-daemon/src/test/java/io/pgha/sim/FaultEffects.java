package io.pgha.sim;

/** What starting and healing each {@link Fault} does to the world. */
final class FaultEffects {
    private FaultEffects() {
    }

    static void start(Simulation w, Fault f) {
        if (f instanceof Fault.NodeCrash c) {
            SimNode n = w.node(c.node());
            n.crashes++;
            if (n.up) {
                w.crash(n);
            }
        } else if (f instanceof Fault.PostgresCrash c) {
            SimNode n = w.node(c.node());
            if (n.pg.running()) {
                n.pg.stop(w.now());
                w.log(n, "PostgreSQL crashed");
                w.wake(n, n.generation, "postgres exit");
            }
        } else if (f instanceof Fault.DcsPartition p) {
            w.network().cut(Network.dcsLink(p.node()));
            w.log(w.node(p.node()), "cut from the DCS");
        } else if (f instanceof Fault.PeerPartition p) {
            w.network().cut(Network.peerLink(p.a(), p.b()));
        } else if (f instanceof Fault.DaemonCrash k) {
            SimNode n = w.node(k.node());
            n.daemonsKilled++;
            if (n.daemonsKilled == 1 && n.up) {
                w.killDaemon(n);
            }
        } else if (f instanceof Fault.DaemonFreeze z) {
            w.node(z.node()).frozen++;
            w.log(w.node(z.node()), "daemon frozen");
        } else if (f instanceof Fault.WatchLoss l) {
            w.network().cut(Network.watchLink(l.node()));
        } else if (f instanceof Fault.DcsOutage) {
            w.network().cut(Network.outage());
        }
    }

    static void heal(Simulation w, Fault f) {
        if (f instanceof Fault.NodeCrash c) {
            SimNode n = w.node(c.node());
            n.crashes--;
            if (n.crashes == 0 && !n.up) {
                w.boot(n);
            }
        } else if (f instanceof Fault.DcsPartition p) {
            w.network().heal(Network.dcsLink(p.node()));
            w.log(w.node(p.node()), "reaches the DCS again");
        } else if (f instanceof Fault.PeerPartition p) {
            w.network().heal(Network.peerLink(p.a(), p.b()));
        } else if (f instanceof Fault.DaemonCrash k) {
            SimNode n = w.node(k.node());
            n.daemonsKilled--;
            if (n.daemonsKilled == 0 && n.up) {
                w.restartDaemon(n);
            }
        } else if (f instanceof Fault.DaemonFreeze z) {
            SimNode n = w.node(z.node());
            n.frozen--;
            w.log(n, "daemon thawed");
            if (n.frozen == 0 && n.up) {
                w.resume(n);
            }
        } else if (f instanceof Fault.WatchLoss l) {
            w.network().heal(Network.watchLink(l.node()));
        } else if (f instanceof Fault.DcsOutage) {
            w.network().heal(Network.outage());
        }
    }
}
