package io.pgha.sim;

/** One thing that goes wrong in the simulated world. Nodes are named by index, {@code n0 … n4}. */
public sealed interface Fault {
    /** The machine dies (daemon, fence timer and PostgreSQL with it) and boots again after the fault heals. */
    record NodeCrash(int node) implements Fault {
    }

    /** Only PostgreSQL dies; the daemon hears of it at once. Heals by itself (the daemon acts). */
    record PostgresCrash(int node) implements Fault {
    }

    /** The node cannot reach the DCS: renewals, reads and writes time out. */
    record DcsPartition(int node) implements Fault {
    }

    /** Two nodes cannot reach each other: no REST peer checks, no streaming replication. */
    record PeerPartition(int a, int b) implements Fault {
    }

    /**
     * The daemon is killed (kill -9, the OOM killer) and started again when the fault heals, as
     * systemd would; PostgreSQL keeps running, and so does the fence keeper with the deadline the
     * dead daemon last gave it. The restarted daemon has a new lease and remembers nothing.
     */
    record DaemonCrash(int node) implements Fault {
    }

    /** The daemon stops (SIGSTOP, a long GC): no cycles; its fence timer still fires, PostgreSQL keeps running. */
    record DaemonFreeze(int node) implements Fault {
    }

    /** Watch notifications to this node are lost: it learns of changes on its loop_wait tick only. */
    record WatchLoss(int node) implements Fault {
    }

    /** The whole DCS is unreachable for everyone. */
    record DcsOutage() implements Fault {
    }

    default String describe() {
        return toString();
    }
}
