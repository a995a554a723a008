package io.pgha.chaos;

import io.pgha.launch.Await;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

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
    /**
     * kill -9 of the primary's daemon alone (the OOM killer), started again 1 s later as systemd's
     * {@code Restart=always}, {@code RestartSec=1} would; PostgreSQL and the fence keeper keep
     * running. The restarted daemon should take its leader key over without a failover.
     */
    KILL_PRIMARY_DAEMON,
    /** SIGSTOP of the primary's daemon for 6 s (twice the fast ttl), then SIGCONT. */
    FREEZE_PRIMARY_DAEMON,
    /** nftables in the primary's namespace drop its etcd traffic for 8 s. */
    CUT_PRIMARY_FROM_DCS,
    /** nftables in the primary's namespace drop its traffic to and from the other nodes for 8 s. */
    CUT_PRIMARY_FROM_REPLICAS,
    /** every etcd member killed (kill -9) for 6 s, then restarted on its data. */
    DCS_OUTAGE,
    /**
     * SIGSTOP of the primary's PostgreSQL for 6 s: the postmaster, then every child of it (backends,
     * WAL senders, checkpointer…, found by parent PID since backends call setsid), then SIGCONT to
     * all. Writes stall and the daemon's probe of PostgreSQL times out; whether it fails over is
     * the daemon's call (the note says what it did), but a failed-over old primary must come back as
     * a replica, never as a second primary.
     */
    FREEZE_PG_PRIMARY,
    /**
     * SIGSTOP of the etcd leader member (found through /v3/maintenance/status) for 6 s, then SIGCONT:
     * the two others elect a new leader meanwhile; clients connected to the frozen member must move.
     */
    FREEZE_ETCD_LEADER,
    /**
     * kill -9 of the etcd leader member for 8 s, then restarted on its data: two of three members keep
     * quorum, so no failover is needed (the note says if one happened anyway).
     */
    KILL_ETCD_LEADER,
    /**
     * A minority/majority split for 10 s: the primary's node with the etcd leader on one side, the two
     * replicas with the two other members on the other ({@link ChaosCluster#split}). The minority
     * member has no quorum, so the primary cannot renew its lease and must fence itself; the majority
     * elects a new etcd leader and a new primary. After the heal the old primary rejoins as a replica.
     */
    SPLIT_PRIMARY_WITH_ETCD_MINORITY;

    static final Duration FREEZE = Duration.ofSeconds(6);
    static final Duration CUT = Duration.ofSeconds(8);
    static final Duration DCS_DOWN = Duration.ofSeconds(6);
    static final Duration REPLICA_DOWN = Duration.ofSeconds(3);
    static final Duration DAEMON_RESTART = Duration.ofSeconds(1);
    static final Duration ETCD_MEMBER_DOWN = Duration.ofSeconds(8);
    static final Duration SPLIT = Duration.ofSeconds(10);
    static final Duration NEW_LEADER_BOUND = Duration.ofSeconds(30);
    static final Duration ETCD_LEADER_BOUND = Duration.ofSeconds(15);

    /** What a fault hit ({@code n1}, {@code etcd2 (leader)} …) and notes on what happened. */
    record Outcome(String target, String note) {
    }

    /** Applies the fault to {@code target} and heals it, also when something fails on the way. */
    Outcome inject(ChaosCluster c, ChaosNode target) throws InterruptedException {
        return switch (this) {
            case FREEZE_PG_PRIMARY -> {
                String note;
                try {
                    int frozen = target.freezePostgres();
                    Thread.sleep(FREEZE.toMillis());
                    note = frozen + " PostgreSQL processes stopped; at the end of the freeze " + primariesNow(c, target);
                } finally {
                    target.thawPostgres();
                }
                yield new Outcome(target.name, note);
            }
            case FREEZE_ETCD_LEADER -> {
                int leader = c.awaitEtcdLeader(ETCD_LEADER_BOUND);
                String note;
                try {
                    c.freezeEtcd(leader);
                    note = holdAwaitingNewEtcdLeader(c, leader, FREEZE);
                } finally {
                    c.thawEtcd();
                }
                yield new Outcome(c.etcd.memberName(leader) + " (leader)", note);
            }
            case KILL_ETCD_LEADER -> {
                int leader = c.awaitEtcdLeader(ETCD_LEADER_BOUND);
                String note;
                try {
                    c.killEtcd(leader);
                    note = holdAwaitingNewEtcdLeader(c, leader, ETCD_MEMBER_DOWN);
                } finally {
                    c.restartEtcd(leader);
                }
                yield new Outcome(c.etcd.memberName(leader) + " (leader)", note);
            }
            case SPLIT_PRIMARY_WITH_ETCD_MINORITY -> {
                int minority = c.awaitEtcdLeader(ETCD_LEADER_BOUND);
                String note;
                try {
                    c.split(target, minority);
                    note = holdAwaitingNewEtcdLeader(c, minority, SPLIT) + "; at the end of the split " + primariesNow(c, target);
                } finally {
                    c.healSplit();
                }
                yield new Outcome(target.name + " + " + c.etcd.memberName(minority) + " (leader)", note);
            }
            default -> new Outcome(target.name, injectNodeFault(c, target));
        };
    }

    /**
     * Holds an etcd fault on member {@code old} for {@code hold}; meanwhile the other members must
     * elect a leader among themselves (awaited within the hold: the fault is in effect once they
     * have). Returns a note saying who and when, or that they did not.
     */
    private static String holdAwaitingNewEtcdLeader(ChaosCluster c, int old, Duration hold) throws InterruptedException {
        long start = System.nanoTime();
        String note;
        try {
            int leader = c.awaitEtcdLeaderOtherThan(old, hold);
            note = String.format(Locale.ROOT, "etcd majority led by %s after %.1f s", c.etcd.memberName(leader),
                    (System.nanoTime() - start) / 1e9);
        } catch (AssertionError e) {
            note = "the other etcd members elected no leader within the " + hold.toSeconds() + " s fault";
        }
        long left = hold.toNanos() - (System.nanoTime() - start);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        return note;
    }

    /** Who answers 200 on /primary at this moment, for the notes ("n2 primary", "no primary", "n1, n3 primary"). */
    private static String primariesNow(ChaosCluster c, ChaosNode target) {
        List<ChaosNode> p = c.primaries();
        String who = p.isEmpty() ? "no primary" : String.join(", ", p.stream().map(n -> n.name).toList()) + " primary";
        return who + (p.contains(target) ? "" : " (" + target.name + " not)");
    }

    private String injectNodeFault(ChaosCluster c, ChaosNode target) throws InterruptedException {
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
            case KILL_PRIMARY_DAEMON -> {
                target.killDaemon();
                Thread.sleep(DAEMON_RESTART.toMillis()); // systemd's RestartSec: the restart delay is the fault
                c.start(target);
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
            default -> throw new IllegalStateException(this + " is not a node fault");
        }
        return "";
    }

    boolean targetsReplica() {
        return this == CRASH_REPLICA;
    }

    /** Faults after which the same node should still be primary: a failover is reported in the note. */
    boolean failoverNeedless() {
        return this == KILL_ETCD_LEADER || this == CRASH_REPLICA || this == KILL_PRIMARY_DAEMON;
    }

    static List<Fault> all() {
        return List.of(values());
    }

    /**
     * The faults named in {@code spec} (comma-separated constant names, case-insensitive), in the
     * order of {@link #all()}; every fault when {@code spec} is blank.
     *
     * @throws IllegalArgumentException naming an unknown fault and the known ones
     */
    static List<Fault> parseList(String spec) {
        if (spec == null || spec.isBlank()) {
            return all();
        }
        EnumSet<Fault> chosen = EnumSet.noneOf(Fault.class);
        for (String word : spec.split(",")) {
            String name = word.strip().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                chosen.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown fault '" + word.strip() + "'; known: " + all(), e);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no fault named in '" + spec + "'; known: " + all());
        }
        return List.copyOf(chosen);
    }
}
