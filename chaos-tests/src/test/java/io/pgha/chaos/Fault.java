package io.pgha.chaos;

import io.pgha.testing.Await;

import java.time.Duration;
import java.util.List;

/**
 * The faults of the schedule. {@link #inject} applies one to the cluster and heals it again; the
 * holds below are the faults' durations (a freeze of 6 s is the fault), never a wait for a state,
 * which is always awaited as a condition.
 */
enum Fault {
    /** kill -9 of daemon and PostgreSQL on the primary (power loss); restarted once another node leads. */
    CRASH_PRIMARY,
    /** kill -9 of daemon and PostgreSQL on a replica, restarted after 3 s. */
    CRASH_REPLICA,
    /** kill -9 of the primary's PostgreSQL only; its daemon must restart or fail over. */
    KILL_PG_PRIMARY,
    /** SIGSTOP of the primary's daemon for 6 s (twice the fast ttl), then SIGCONT. */
    FREEZE_PRIMARY_DAEMON,
    /** nftables in the primary's namespace drop its etcd traffic for 8 s. */
    CUT_PRIMARY_FROM_DCS,
    /** nftables in the primary's namespace drop its traffic to and from the other nodes for 8 s. */
    CUT_PRIMARY_FROM_REPLICAS,
    /** every etcd member killed (kill -9) for 6 s, then restarted on its data. */
    DCS_OUTAGE;

    static final Duration FREEZE = Duration.ofSeconds(6);
    static final Duration CUT = Duration.ofSeconds(8);
    static final Duration DCS_DOWN = Duration.ofSeconds(6);
    static final Duration REPLICA_DOWN = Duration.ofSeconds(3);
    static final Duration NEW_LEADER_BOUND = Duration.ofSeconds(30);

    /** Applies the fault to {@code target} and heals it; returns notes on anything unexpected. */
    String inject(ChaosCluster c, ChaosNode target) throws InterruptedException {
        switch (this) {
            case CRASH_PRIMARY -> {
                target.killDaemon();
                target.killPostgres();
                String note = "";
                try {
                    Await.until("another node primary after " + target.name + " crashed", NEW_LEADER_BOUND,
                            () -> c.primaries().stream().anyMatch(n -> n != target));
                } catch (AssertionError e) {
                    note = "no other primary within " + NEW_LEADER_BOUND.toSeconds() + " s";
                }
                c.start(target);
                return note;
            }
            case CRASH_REPLICA -> {
                target.killDaemon();
                target.killPostgres();
                Thread.sleep(REPLICA_DOWN.toMillis());
                c.start(target);
            }
            case KILL_PG_PRIMARY -> {
                // Until the daemon has seen the death, /primary may still say 200 for a moment: the
                // fault is in effect once a new postmaster runs there or another node leads.
                Long before = target.postmasterPid().orElse(-1L);
                target.killPostgres();
                try {
                    Await.until("a new postmaster on " + target.name + " or another primary", NEW_LEADER_BOUND,
                            () -> target.postmasterPid().filter(p -> !p.equals(before)).isPresent()
                                    || c.primaries().stream().anyMatch(n -> n != target));
                } catch (AssertionError e) {
                    return "PostgreSQL neither restarted nor failed over within " + NEW_LEADER_BOUND.toSeconds() + " s";
                }
            }
            case FREEZE_PRIMARY_DAEMON -> {
                target.freezeDaemon();
                try {
                    Thread.sleep(FREEZE.toMillis());
                } finally {
                    target.thawDaemon();
                }
            }
            case CUT_PRIMARY_FROM_DCS -> {
                c.cutFromDcs(target);
                try {
                    Thread.sleep(CUT.toMillis());
                } finally {
                    c.heal(target);
                }
            }
            case CUT_PRIMARY_FROM_REPLICAS -> {
                c.cutFromPeers(target);
                try {
                    Thread.sleep(CUT.toMillis());
                } finally {
                    c.heal(target);
                }
            }
            case DCS_OUTAGE -> {
                c.etcd.killAll();
                try {
                    Thread.sleep(DCS_DOWN.toMillis());
                } finally {
                    c.etcd.restartAll();
                }
            }
        }
        return "";
    }

    boolean targetsReplica() {
        return this == CRASH_REPLICA;
    }

    static List<Fault> all() {
        return List.of(values());
    }
}
