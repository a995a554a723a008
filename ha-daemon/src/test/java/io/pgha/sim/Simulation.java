package io.pgha.sim;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Versioned;
import io.pgha.ha.Decision;
import io.pgha.ha.Failsafe;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.FailsafeReport;
import io.pgha.ha.FencePlan;
import io.pgha.ha.FenceStep;
import io.pgha.ha.LeasePlan;
import io.pgha.ha.RenewalPlan;
import io.pgha.ha.Observation;
import io.pgha.ha.PeerReport;
import io.pgha.ha.PeerStatus;
import io.pgha.ha.RejoinPlan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The simulated world and its HA loops: one thread of simulated time, events in order, the
 * invariants checked after each. Each daemon's cycle follows {@code io.pgha.daemon.HaLoop}:
 * renew the lease, read the DCS (or time out after retry_timeout), arm the fence if it holds the
 * key as primary, decide (asking peers when told to), act, arm or disarm the fence from the
 * outcome, publish its member key, and wait loop_wait from the cycle's start. In failsafe mode a
 * primary cut from the DCS asks the members of the failsafe key over the simulated network, and
 * they remember whom they acknowledged as the REST API does.
 */
public final class Simulation {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final long MS = 1_000_000L;
    static final long BOOT_NANOS = 20_000 * MS;
    /** From a daemon's start to its first cycle: JVM start, DCS connection, first read (measured about 1.5 s). */
    static final long DAEMON_START_NANOS = 1_500 * MS;

    private final SimSettings settings;
    private final FencePlan fencePlan;
    private final Schedule schedule;
    private final Decider decider;
    private final Random random;
    private final EventQueue queue = new EventQueue();
    private final Network network = new Network();
    private final SimDcs dcs;
    private final List<SimNode> nodes = new ArrayList<>();
    private final SimSync sync;
    private final Invariants invariants = new Invariants();
    private final DecisionEffects effects = new DecisionEffects(this);
    private final List<String> trace;
    private final List<TtlChange> ttlChanges;
    /** The config key's ttl as it stands now. */
    private long configTtlNanos;
    /**
     * false only in the test proving the checker catches it: the lease deadline (and the fence on it)
     * counts with the ttl the cluster was bootstrapped with, not the TTL the lease now has, as if the
     * session never learnt of the move (the defect of issue "ttl never reaches the lease", inverted).
     */
    private final boolean fenceFollowsTheGrantedTtl;
    private long now;
    private int events;
    private int failovers;

    public Simulation(SimSettings settings, Schedule schedule, Decider decider, boolean tracing) {
        this(settings, schedule, decider, tracing, List.of(), true);
    }

    Simulation(SimSettings settings, Schedule schedule, Decider decider, boolean tracing, List<TtlChange> ttlChanges,
               boolean fenceFollowsTheGrantedTtl) {
        this.ttlChanges = List.copyOf(ttlChanges);
        this.fenceFollowsTheGrantedTtl = fenceFollowsTheGrantedTtl;
        this.configTtlNanos = settings.ttlNanos();
        this.settings = settings;
        this.fencePlan = new FencePlan(settings.safetyMargin());
        this.sync = new SimSync(settings.sync(), settings.syncCount());
        this.schedule = schedule;
        this.decider = decider;
        this.random = new Random(~schedule.seed()); // not the generator's stream: latencies are their own draw
        this.trace = tracing ? new ArrayList<>() : null;
        this.dcs = new SimDcs(settings.ttlNanos(), this::leaderChanged);
        for (int i = 0; i < schedule.nodes(); i++) {
            nodes.add(new SimNode(i));
        }
    }

    public static RunResult run(SimSettings settings, Schedule schedule, Decider decider, boolean tracing) {
        return new Simulation(settings, schedule, decider, tracing).run();
    }

    public RunResult run() {
        for (SimNode n : nodes) {
            queue.at(random.nextInt(500) * MS, new SimEvent.CycleStart(n.index, n.generation, -1, "start"));
        }
        for (TtlChange c : ttlChanges) {
            queue.at(c.atNanos(), new SimEvent.ConfigTtlChanged(c));
        }
        for (ScheduledFault f : schedule.faults()) {
            queue.at(f.atNanos(), new SimEvent.FaultStarts(f));
            queue.at(f.healsAtNanos(), new SimEvent.FaultHeals(f));
        }
        long end = Math.max(BOOT_NANOS, schedule.lastHealNanos()) + settings.livenessBound().toNanos();
        queue.at(end, new SimEvent.End());
        while (!queue.isEmpty()) {
            EventQueue.Timed t = queue.next();
            advanceTo(t.at());
            events++;
            if (t.event() instanceof SimEvent.End) {
                invariants.atEnd(now, nodes, dcs);
                break;
            }
            handle(t.event());
            invariants.afterEvent(now, nodes);
            invariants.writersHaveARight(now, nodes, dcs, settings);
            if (invariants.first().filter(Violation::isSafety).isPresent()) {
                break;
            }
        }
        return new RunResult(schedule, invariants.first(), events, failovers, trace == null ? List.of() : List.copyOf(trace));
    }

    // ---- the world's continuous part: writes and streaming between events -----------------------

    private void advanceTo(long t) {
        long dt = t - now;
        now = t;
        if (dt <= 0) {
            return;
        }
        for (SimNode n : nodes) {
            n.pg.writeFor(dt, settings.walBytesPerSecond());
        }
        for (SimNode n : nodes) {
            int up = n.pg.upstream();
            if (up >= 0 && nodes.get(up).up && canTalk(n, nodes.get(up))) {
                n.pg.receiveFrom(nodes.get(up).pg, settings.replicationLagBytes());
            }
        }
        sync.afterAdvance(this);
    }

    // ---- events -----------------------------------------------------------------------------------

    private void handle(SimEvent e) {
        if (e instanceof SimEvent.CycleStart c) {
            cycleStart(c);
        } else if (e instanceof SimEvent.DcsTimedOut t) {
            onNode(t.node(), t.generation(), t, n -> decide(n, Optional.empty(), t.cycleStartedAt()));
        } else if (e instanceof SimEvent.Act a) {
            onNode(a.node(), a.generation(), a, n -> act(n, a));
        } else if (e instanceof SimEvent.FenceFires f) {
            fenceFires(f);
        } else if (e instanceof SimEvent.WatchDelivered w) {
            wake(nodes.get(w.node()), w.generation(), "watch");
        } else if (e instanceof SimEvent.LeaseCheck) {
            dcs.expire(now);
        } else if (e instanceof SimEvent.ConfigTtlChanged c) {
            configTtlNanos = c.change().ttl().toNanos();
            for (SimNode n : nodes) {
                if (n.up && network.watchDelivered(n.index)) {
                    queue.at(now + schedule.watchDelayNanos(), new SimEvent.WatchDelivered(n.index, n.generation));
                }
            }
        } else if (e instanceof SimEvent.FaultStarts f) {
            FaultEffects.start(this, f.fault().fault());
        } else if (e instanceof SimEvent.FaultHeals f) {
            FaultEffects.heal(this, f.fault().fault());
        }
    }

    /** Runs a step of a node's loop now, or keeps it for when the frozen daemon resumes. */
    private void onNode(int index, long generation, SimEvent e, Consumer<SimNode> step) {
        SimNode n = nodes.get(index);
        if (!n.up || n.generation != generation) {
            return;
        }
        if (n.frozen > 0) {
            n.deferred = e;
            return;
        }
        step.accept(n);
    }

    private void cycleStart(SimEvent.CycleStart c) {
        SimNode n = nodes.get(c.node());
        if (!n.up || n.generation != c.generation() || (c.tick() >= 0 && c.tick() != n.tick)) {
            return;
        }
        if (n.daemonsKilled > 0) {
            return; // nobody to run it; the restarted daemon starts its own cycles
        }
        if (n.frozen > 0 || n.busy) {
            n.wakeRequested = true;
            return;
        }
        n.busy = true;
        long started = now;
        if (!network.reachesDcs(n.index)) {
            queue.at(now + settings.retryTimeout().toNanos(), new SimEvent.DcsTimedOut(n.index, n.generation, started));
            return;
        }
        // HaLoop.readDcs: the same plan says which cycles renew.
        boolean renewed = n.leaseId == 0 || RenewalPlan.beforeReading(n.keyLease != 0, n.sawLeader, n.leaseDeadline - now,
                settings.loopWait(), settings.retryTimeout());
        if (renewed) {
            renew(n);
        }
        Cluster read = dcs.read(now);
        if (RenewalPlan.afterReading(renewed, read.hasLeader(), read.isLeader(n.name))) {
            renew(n);
        }
        n.sawLeader = read.hasLeader();
        decide(n, Optional.of(read), started);
    }

    /** MemberSession.renew: keepalive, or a fresh lease when the old one has expired on the DCS (the fence is disarmed). */
    private void renew(SimNode n) {
        if (n.leaseTtlNanos == 0) {
            n.leaseTtlNanos = configTtlNanos; // Daemon opens its session with the config's ttl
        }
        if (n.leaseId != 0 && dcs.keepAlive(n.leaseId, now)) {
            n.leaseDeadline = now + (fenceFollowsTheGrantedTtl ? n.leaseTtlNanos : settings.ttlNanos());
        } else {
            if (n.leaseId != 0) {
                // HaLoop zeroes the promise at the end of a cycle in which PostgreSQL is no primary; it may have stopped since.
                apply(n, fencePlan.whenLeaseFoundGone(n.pg.acceptsWrites() ? n.failsafeGrantedUntil : 0, now));
                log(n, "lease " + n.leaseId + " had expired; granted a new one");
            }
            n.leaseId = dcs.grant(now, n.leaseTtlNanos);
            n.leaseDeadline = now + n.leaseTtlNanos;
        }
        queue.at(n.leaseDeadline, new SimEvent.LeaseCheck());
    }

    private void decide(SimNode n, Optional<Cluster> cluster, long started) {
        cluster.ifPresent(c -> n.failsafeKey = c.failsafe().map(Versioned::value).orElse(Map.of()));
        Failsafe failsafe = new Failsafe(n.failsafeKey, n.failsafeGrantedUntil, Optional.empty(), Optional.ofNullable(n.acknowledged),
                OptionalLong.of(n.bootedAt));
        Observation o = new Observation(n.name, cluster, n.pg.state(), n.lease(Duration.ofNanos(n.leaseTtlNanos)), now, EPOCH.plusNanos(now),
                Optional.empty(), Optional.empty(), failsafe, n.keyLease != 0 && n.keyLease == n.leaseId);
        apply(n, fencePlan.beforeDeciding(o.holdsLeaderKey(), n.pg.acceptsWrites(), false, n.leaseDeadline));
        Decision d = decider.decide(o);
        if (d instanceof Decision.CheckPeers check) {
            o = o.withPeers(new PeerReport(cluster.orElseThrow().revision(), askPeers(n, check.peers())), now);
            d = decider.decide(o);
        }
        if (d instanceof Decision.CheckFailsafe check) {
            o = o.withFailsafeReport(new FailsafeReport(now, confirmFailsafe(n, check.members().keySet())), now);
            d = decider.decide(o);
        }
        queue.at(now + (1 + random.nextInt(50)) * MS, new SimEvent.Act(n.index, n.generation, started, o, d));
    }

    private Map<String, PeerStatus> askPeers(SimNode me, List<String> peers) {
        Map<String, PeerStatus> answers = new LinkedHashMap<>();
        for (String name : peers) {
            SimNode p = nodes.get(SimNode.index(name));
            answers.put(name, p.daemonRuns() && canTalk(me, p)
                    ? new PeerStatus.Answered(p.pg.acceptsWrites(), p.pg.running() ? p.pg.wal() : 0, false, 1)
                    : new PeerStatus.Unreachable("timed out"));
        }
        return answers;
    }

    /** {@code POST /failsafe} to each member: a running daemon that can be reached answers as the REST API does. */
    private Map<String, FailsafeAnswer> confirmFailsafe(SimNode me, Set<String> members) {
        Map<String, FailsafeAnswer> answers = new LinkedHashMap<>();
        for (String name : members) {
            SimNode p = nodes.get(SimNode.index(name));
            if (!p.daemonRuns() || !canTalk(me, p)) {
                answers.put(name, new FailsafeAnswer.NotAcknowledged("no answer"));
            } else if (!settings.failsafeMode()) {
                answers.put(name, new FailsafeAnswer.NotAcknowledged("HTTP 502"));
            } else if (p.pg.acceptsWrites()) {
                answers.put(name, new FailsafeAnswer.NotAcknowledged("HTTP 500: Running as a leader"));
            } else {
                p.acknowledged = new Failsafe.Acknowledgement(me.name, now);
                p.promisedTo = me.name;
                p.promisedAt = now;
                answers.put(name, new FailsafeAnswer.Acknowledged(p.pg.running() ? p.pg.wal() : 0));
            }
        }
        return answers;
    }

    private void act(SimNode n, SimEvent.Act a) {
        Decision d = a.decision();
        Observation o = a.observation();
        boolean wasWriter = n.pg.acceptsWrites();
        String outcome = effects.carryOut(n, d, o);
        if (!wasWriter && n.pg.acceptsWrites()) {
            failovers++;
        }
        log(n, d.logLine() + (outcome.isEmpty() ? "" : " → " + outcome));
        boolean leads = !(d instanceof Decision.ReleaseLeader || d instanceof Decision.Demote || d instanceof Decision.HandOver)
                && (o.holdsLeaderKey() || n.wonLeader);
        if (o.cluster().isPresent() && network.reachesDcs(n.index)) {
            leads = followTtl(n, leads);
        }
        if (o.cluster().isPresent()) {
            n.keyLease = leads ? n.leaseId : 0; // HaLoop.keyLease
        }
        FencePlan.AfterActing end = fencePlan.afterActing(new FencePlan.CycleEnd(d, leads, n.pg.acceptsWrites(), false, n.leaseDeadline,
                n.failsafeGrantedUntil, now));
        n.failsafeGrantedUntil = end.failsafeGrantedUntilNanos();
        apply(n, settings.fenceKeptWhileDcsUnreachable() ? end.fence() : BeforeFinding1.fence(fencePlan, end, d, leads, n.failsafeGrantedUntil, now));
        if (o.cluster().isPresent() && network.reachesDcs(n.index)) {
            dcs.put(SimDcs.KEYS.member(n.name), n.memberJson(), n.leaseId, now);
            if (leads && n.pg.acceptsWrites()) {
                dcs.put(SimDcs.KEYS.prefix() + "status", "{\"optime\":" + n.pg.wal() + "}", 0, now);
            }
        }
        n.busy = false;
        boolean racing = d instanceof Decision.StartReplica s && s.leader().isEmpty() && n.pg.running();
        if (n.wakeRequested || racing) {
            n.wakeRequested = false;
            queue.at(now, new SimEvent.CycleStart(n.index, n.generation, -1, racing ? "racing" : "woken"));
        } else {
            n.tick++;
            queue.at(Math.max(now, a.cycleStartedAt() + settings.loopWait().toNanos()),
                    new SimEvent.CycleStart(n.index, n.generation, n.tick, "tick"));
        }
    }

    /** HaLoop.followTtl with MemberSession.relet: a new lease of the config's ttl, the keys moved onto it in one step, the old one revoked. */
    private boolean followTtl(SimNode n, boolean leads) {
        Optional<LeasePlan.Change> change = LeasePlan.change(Duration.ofNanos(configTtlNanos), Duration.ofNanos(n.leaseTtlNanos), true);
        if (change.isEmpty()) {
            return leads;
        }
        long ttl = change.get().to().toNanos();
        long fresh = dcs.grant(now, ttl);
        long freshDeadline = now + ttl;
        if (fenceFollowsTheGrantedTtl) {
            apply(n, fencePlan.beforeMovingLease(leads && n.pg.acceptsWrites(), n.leaseDeadline, freshDeadline));
        }
        boolean moved = dcs.moveKeys(n.leaseId, fresh, n.name, now);
        dcs.revoke(n.leaseId, now);
        log(n, "lease ttl " + n.leaseTtlNanos / 1_000_000_000L + " s → " + ttl / 1_000_000_000L + " s; "
                + (moved ? "leader and member keys" : "member key") + " moved to lease " + fresh + ", lease " + n.leaseId + " revoked");
        n.leaseId = fresh;
        n.leaseDeadline = fenceFollowsTheGrantedTtl ? freshDeadline : now + settings.ttlNanos();
        n.leaseTtlNanos = ttl;
        queue.at(freshDeadline, new SimEvent.LeaseCheck());
        return leads && moved;
    }

    // ---- the fence: a timer of its own ------------------------------------------------------------

    /** HaLoop.apply: the fence keeper's timer is the node's, and fires as a {@link SimEvent.FenceFires}. */
    private void apply(SimNode n, FenceStep step) {
        if (step instanceof FenceStep.ArmAt a) {
            armFence(n, a.deadlineNanos());
        } else if (step instanceof FenceStep.ArmOnLease) {
            armFence(n, fencePlan.deadline(n.leaseDeadline));
        } else if (step instanceof FenceStep.Disarm) {
            disarmFence(n);
        } else if (step instanceof FenceStep.FireIfArmed && n.fenceArmed) {
            armFence(n, now); // Fence.leaseGone
        }
    }

    private void armFence(SimNode n, long at) {
        if (!settings.fenceEnabled() || (n.fenceArmed && n.fenceAt == at)) {
            return;
        }
        n.fenceArmed = true;
        n.fenceAt = at;
        n.fenceGeneration++;
        queue.at(Math.max(now, at), new SimEvent.FenceFires(n.index, n.fenceGeneration));
    }

    void disarmFence(SimNode n) {
        n.fenceArmed = false;
        n.fenceGeneration++;
    }

    private void fenceFires(SimEvent.FenceFires f) {
        SimNode n = nodes.get(f.node());
        if (!n.up || !n.fenceArmed || n.fenceGeneration != f.armedGeneration()) {
            return;
        }
        n.fenceArmed = false;
        n.fenceFired++;
        n.pg.stop(now);
        log(n, "fenced: SIGQUIT to the postmaster");
        wake(n, n.generation, "fence");
    }

    // ---- watches and wake-ups ---------------------------------------------------------------------

    private void leaderChanged(String holder) {
        for (SimNode n : nodes) {
            if (n.up && network.watchDelivered(n.index)) {
                queue.at(now + schedule.watchDelayNanos(), new SimEvent.WatchDelivered(n.index, n.generation));
            }
        }
    }

    void wake(SimNode n, long generation, String why) {
        if (n.up && n.generation == generation) {
            queue.at(now, new SimEvent.CycleStart(n.index, generation, -1, why));
        }
    }

    // ---- used by faults and effects ---------------------------------------------------------------

    void resume(SimNode n) {
        if (n.deferred != null) {
            SimEvent e = n.deferred;
            n.deferred = null;
            queue.at(now, e);
        } else if (n.wakeRequested) {
            n.wakeRequested = false;
            wake(n, n.generation, "thawed");
        }
    }

    void crash(SimNode n) {
        n.up = false;
        n.generation++;
        n.pg.stop(now);
        disarmFence(n);
        n.busy = false;
        n.wakeRequested = false;
        n.deferred = null;
        forgetDaemonMemory(n);
        log(n, "crashed");
    }

    /**
     * kill -9 of the daemon alone: its cycle, fence timer and memory go; PostgreSQL keeps running,
     * and the fence keeper outside the JVM keeps the deadline last armed (the fence stays as it is).
     */
    void killDaemon(SimNode n) {
        n.generation++;
        n.busy = false;
        n.wakeRequested = false;
        n.deferred = null;
        forgetDaemonMemory(n);
        log(n, "daemon killed; PostgreSQL " + (n.pg.acceptsWrites() ? "keeps running as primary" : "keeps running")
                + (n.fenceArmed ? ", the fence keeper holds the deadline" : ""));
    }

    /** systemd starts the daemon again: a new session and lease, after the JVM's start-up (FenceKeeper inherits the deadline). */
    void restartDaemon(SimNode n) {
        n.leaseId = 0;
        n.leaseDeadline = 0;
        n.leaseTtlNanos = 0;
        n.bootedAt = now;
        log(n, "daemon restarted");
        queue.at(now + DAEMON_START_NANOS, new SimEvent.CycleStart(n.index, n.generation, -1, "start"));
    }

    private static void forgetDaemonMemory(SimNode n) {
        n.keyLease = 0;
        n.failsafeKey = Map.of(); // the daemon's memory; promisedTo/promisedAt are the world's and stay
        n.failsafeGrantedUntil = 0;
        n.acknowledged = null;
        n.rejoin = RejoinPlan.State.FRESH;
    }

    void boot(SimNode n) {
        n.up = true;
        n.leaseId = 0;
        n.leaseDeadline = 0;
        n.leaseTtlNanos = 0;
        n.bootedAt = now;
        log(n, "booted");
        wake(n, n.generation, "start");
    }

    void becomesWritable(SimNode n, String how) {
        invariants.becomesWritable(now, n, dcs, how);
        sync.promotionProblem(n, dcs.read(now)).ifPresent(why -> invariants.synchronousPromiseBroken(now, why + " (" + how + ")"));
    }

    SimSync sync() {
        return sync;
    }

    List<SimNode> nodes() {
        return nodes;
    }

    boolean canTalk(SimNode a, SimNode b) {
        return a.index == b.index || (network.peersConnected(a.index, b.index) && b.up);
    }

    void log(SimNode n, String line) {
        if (trace != null) {
            trace.add(String.format(Locale.ROOT, "%9.3f %s: %s", now / 1e9, n.name, line));
        }
    }

    SimSettings settings() {
        return settings;
    }

    long now() {
        return now;
    }

    SimDcs dcs() {
        return dcs;
    }

    Network network() {
        return network;
    }

    SimNode node(int index) {
        return nodes.get(index);
    }
}
