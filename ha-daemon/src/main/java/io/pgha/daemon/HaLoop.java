package io.pgha.daemon;

import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.SynchronousMode;
import io.pgha.config.Timing;
import io.pgha.config.Validated;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.Lease;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Relet;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.RenewedRead;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.dcs.model.Versioned;
import io.pgha.ha.Decision;
import io.pgha.ha.Failsafe;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.FailsafeReport;
import io.pgha.ha.FencePlan;
import io.pgha.ha.FenceStep;
import io.pgha.ha.HaCore;
import io.pgha.ha.HaRules;
import io.pgha.ha.LeasePlan;
import io.pgha.ha.RenewalPlan;
import io.pgha.ha.Observation;
import io.pgha.ha.OperatorRequest;
import io.pgha.ha.PeerReport;
import io.pgha.ha.PeerStatus;
import io.pgha.ha.PgState;
import io.pgha.ha.WatchdogStep;
import io.pgha.node.FailsafeAcknowledgements;
import io.pgha.node.FailsafeStatus;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.Postgres;
import io.pgha.watchdog.Watchdog;
import io.pgha.watchdog.WatchdogGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The HA loop: observe (renew the lease, read the cluster, look at PostgreSQL), decide (a pure
 * function), act, publish, and log exactly one line. It runs on its own thread, woken at once by
 * DCS events, a PostgreSQL exit or a REST command; {@code loop_wait} is only the backstop.
 */
final class HaLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("io.pgha.ha");

    private final PghaConfig config;
    private final Dcs dcs;
    private final MemberSession session;
    private final Postgres pg;
    private final Fence fence;
    private final Actions actions;
    private final MonotonicClock clock;
    private final Wakeup wakeup = new Wakeup();
    private final AtomicReference<NodeStatus> status;
    private final MemberReport report;
    private final Watchdog watchdog;
    private final WatchdogGate watchdogGate;
    private final FailsafeAcknowledgements failsafeAcks;
    private final long startedNanos;
    private volatile boolean running = true;

    private DynamicConfig dynamic;
    private long dynamicVersion = -1;
    private Timing timing;
    private FencePlan fencePlan;
    private HaCore core;
    private long dcsLastSeen;
    private long dcsRoundTrip;
    private long lastStatusOptime = -1;
    private Cluster lastCluster;
    /** The DCS config changed PostgreSQL parameters that the running server has not been given yet. */
    private boolean parametersChanged;
    /** As primary in failsafe mode: every member in the failsafe key promised not to race before this (0: no promise). */
    private long failsafeGrantedUntil;
    /**
     * Whom a failsafe round must ask: the failsafe key as last read, together with what this node
     * wrote to it since (a member added in that write reads itself in the DCS and may race unless asked).
     */
    private Map<String, String> failsafeKey = Map.of();
    private final FailsafeWatch failsafeWatch = new FailsafeWatch();
    private final PeerRounds peerRounds;
    /** The lease that carried the leader key in the last snapshot read (0: none). */
    private long keyLease;

    private final OperatorRequests requests;
    private final OperationLog operations;
    /** Hears the summary line of every completed cycle (systemd's STATUS= and watchdog). */
    private volatile Consumer<String> cycleEnded = line -> { };
    /** Hears why a cycle failed; such a cycle does not count as one completed. */
    private volatile Consumer<String> cycleFailed = line -> { };

    HaLoop(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Fence fence, Actions actions, Peers peers,
           MonotonicClock clock, AtomicReference<NodeStatus> status, MemberReport report, DynamicConfig initial, Timing timing,
           OperatorRequests requests, OperationLog operations, Watchdog watchdog, FailsafeAcknowledgements failsafeAcks) {
        this.watchdog = watchdog;
        this.failsafeAcks = failsafeAcks;
        this.startedNanos = clock.nanos();
        this.watchdogGate = new WatchdogGate(watchdog);
        this.requests = requests;
        this.operations = operations;
        this.config = config;
        this.dcs = dcs;
        this.session = session;
        this.pg = pg;
        this.fence = fence;
        this.actions = actions;
        this.peerRounds = new PeerRounds(config, peers, report);
        this.clock = clock;
        this.status = status;
        this.report = report;
        apply(initial, timing);
    }

    private void apply(DynamicConfig d, Timing t) {
        this.dynamic = d;
        this.timing = t;
        this.fencePlan = new FencePlan(t.safetyMargin());
        this.core = new HaCore(new HaRules(t.safetyMargin(), t.primaryStartTimeout(), d.maximumLagOnFailover(),
                !config.tags().canFailover(), config.tags().effectiveFailoverPriority(), d.pause(), t.loopWait(),
                d.synchronousMode() != SynchronousMode.OFF, Optional.empty(), d.failsafeMode(), t.ttl(), d.isStandbyCluster()));
        actions.configure(d, t);
    }

    /** Both set before the loop thread starts. */
    void onCycleEnded(Consumer<String> ended, Consumer<String> failed) {
        this.cycleEnded = ended;
        this.cycleFailed = failed;
    }

    void wake(String reason) {
        wakeup.wake(reason);
    }

    void stop() {
        running = false;
        wakeup.wake("shutdown");
    }

    Timing timing() {
        return timing;
    }

    @Override
    public void run() {
        String why = "start";
        while (running) {
            long started = clock.nanos();
            try {
                cycle(why);
            } catch (RuntimeException e) {
                // One failed cycle must not end the loop: the next one observes afresh.
                LOG.error("cycle failed: {}", e.toString(), e);
                cycleFailed.accept("cycle failed: " + e);
            }
            try {
                NextCycle next = nextCycle(started);
                String woken = wakeup.await(Math.max(0, next.waitNanos()));
                why = woken.isEmpty() ? next.why() : woken;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How long to wait before the next cycle, and what to call it in the log line when nothing wakes it sooner. */
    private record NextCycle(long waitNanos, String why) {
        NextCycle sooner(long nanos, String reason) {
            return nanos < waitNanos ? new NextCycle(nanos, reason) : this;
        }
    }

    /**
     * loop_wait from the start of the cycle, or less when a scheduled switchover or restart falls due
     * sooner, or when a synchronous standby change asks for its next step. loop_wait counts from the
     * start: a long cycle (a restart, a promotion) must not push the next lease renewal past the
     * fence, which is set from the last one.
     */
    private NextCycle nextCycle(long cycleStarted) {
        long now = clock.nanos();
        NextCycle next = new NextCycle(Wakeup.toNanos(timing.loopWait()) - (now - cycleStarted), "");
        Instant wallNow = Instant.now();
        Optional<Instant> switchover = Optional.ofNullable(lastCluster).map(Cluster::failoverRequest)
                .flatMap(FailoverRequest::scheduledAt).map(OffsetDateTime::toInstant);
        Optional<Instant> restart = requests.scheduled().flatMap(OperatorRequests.Pending::notBefore);
        for (Optional<Instant> due : List.of(switchover, restart)) {
            if (due.isPresent() && due.get().isAfter(wallNow)) {
                next = next.sooner(Duration.between(wallNow, due.get()).toNanos(), "");
            }
        }
        OptionalLong syncStep = actions.syncFollowUpAt();
        if (syncStep.isPresent()) {
            next = next.sooner(syncStep.getAsLong() - now, "synchronous standby change under way");
        }
        return next;
    }

    void cycle(String wokenBy) {
        long started = clock.nanos();
        Optional<Cluster> cluster = readDcs();
        lastCluster = cluster.orElse(lastCluster);
        cluster.ifPresent(c -> failsafeKey = c.failsafe().map(Versioned::value).orElse(Map.of()));
        Lease lease = session.lease();
        cluster.ifPresent(this::adoptDynamicConfig);
        cluster.ifPresent(this::noticeTakeover);
        Postgres.Observed seen = pg.observe();
        if (parametersChanged && seen.state() instanceof PgState.Running r) {
            // Written and reloaded at once; what needs a restart shows up as pending_restart.
            LOG.info("PostgreSQL parameters changed in the DCS config: {}", actions.reloadParameters(r.isPrimary()));
            parametersChanged = false;
            seen = pg.observe();
        }
        Instant wallNow = Instant.now();
        Optional<OperatorRequests.Pending> pending = requests.due(wallNow);
        Observation o = new Observation(config.name(), cluster, seen.state(), lease, clock.nanos(), wallNow, Optional.empty(),
                pending.map(OperatorRequests.Pending::request), failsafeView(), keyLease != 0 && keyLease == lease.id());
        apply(fencePlan.beforeDeciding(o.holdsLeaderKey(), seen.snapshot().runsAsPrimary(), dynamic.pause(), lease.deadlineNanos()));
        HaCore decider = watchdogGate.core(core);
        Decision decision = decider.decide(o);
        if (decision instanceof Decision.CheckPeers check) {
            Map<String, PeerStatus> answers = peerRounds.askPeers(cluster.orElseThrow(), check, timing);
            o = o.withPeers(new PeerReport(cluster.get().revision(), answers), clock.nanos());
            decision = decider.decide(o);
        }
        if (decision instanceof Decision.CheckFailsafe check) {
            long roundStarted = clock.nanos(); // before any request leaves: every acknowledgement is received later
            Map<String, FailsafeAnswer> answers = peerRounds.confirmFailsafe(check, dynamic.failsafeTimeout(timing));
            o = o.withFailsafeReport(new FailsafeReport(roundStarted, answers), clock.nanos());
            decision = decider.decide(o);
        }
        decision = watchdogGate.beforeActing(decision, o, core, watchdogTimeout(), timing.loopWait());
        Optional<OperatorRequest> carried = decision instanceof Decision.Carry c ? Optional.of(c.request()) : Optional.empty();
        // Restart and reinitialize are operations GET /operation shows; a reload is too short to follow.
        Optional<String> tracked = carried.filter(r -> !(r instanceof OperatorRequest.Reload)).map(OperatorRequest::what);
        tracked.ifPresent(what -> operations.begin(what, config.name(), config.name()));
        if (carried.filter(r -> r instanceof OperatorRequest.Reinitialize).isPresent()) {
            // A clone can take hours: the caller hears that it started, and follows GET /operation.
            pending.ifPresent(p -> p.outcome().complete(new OperatorRequests.Outcome(true, "reinitialize started")));
        }
        ActionOutcome done = actions.carryOut(decision, o, seen.snapshot());
        String outcome = done.said();
        done.leaseGone().ifPresent(this::leaseGone);
        done.failsafeKeyWritten().ifPresent(written -> {
            Map<String, String> both = new TreeMap<>(failsafeKey);
            both.putAll(written);
            failsafeKey = both;
        });
        boolean succeeded = done.succeeded();
        tracked.ifPresent(what -> operations.finish(what, succeeded, outcome));
        String reason = decision.reason();
        pending.ifPresent(p -> p.outcome().complete(carried.isPresent() ? new OperatorRequests.Outcome(succeeded, outcome)
                : new OperatorRequests.Outcome(false, "not now: " + reason)));
        Postgres.Observed after = decision instanceof Decision.KeepLeading || decision instanceof Decision.Wait
                || decision instanceof Decision.HoldOn ? seen : pg.observe();
        boolean primaryAfter = after.snapshot().runsAsPrimary();
        boolean leads = followTtl(holdsKeyAfter(decision, o, done.wonLeader()), primaryAfter, cluster.isPresent());
        if (cluster.isPresent()) {
            keyLease = leads ? session.lease().id() : 0;
        }
        FencePlan.AfterActing end = fencePlan.afterActing(new FencePlan.CycleEnd(decision, leads, primaryAfter, dynamic.pause(),
                session.lease().deadlineNanos(), failsafeGrantedUntil, clock.nanos()));
        failsafeGrantedUntil = end.failsafeGrantedUntilNanos();
        if (end.fence() instanceof FenceStep.ArmOnLease && clock.nanos() - started > Wakeup.toNanos(timing.loopWait())) {
            // A long cycle (bootstrap, promotion, restart on a loaded machine) has spent much of the
            // lease renewed at its start; renew before arming, or the fence would rightly fire now.
            renewQuietly();
        }
        apply(end.fence());
        if (end.fence() instanceof FenceStep.Keep) {
            LOG.debug("running as primary without the key this cycle; the fence keeps its deadline");
        }
        apply(end.watchdog(), decision);
        failsafeWatch.after(cluster.isPresent(), decision, primaryAfter, dynamic.pause(),
                fencePlan.deadline(failsafeGrantedUntil) > clock.nanos(), o.failsafe().report(), clock.nanos());
        publish(cluster, after.snapshot(), leads);
        publishStatus(cluster, after.snapshot(), leads, decision, started);
        String line = decision.logLine() + (outcome.isEmpty() ? "" : " → " + outcome)
                + (wokenBy.isEmpty() || wokenBy.equals("tick") ? "" : " [woken by " + wokenBy + "]");
        LOG.info("{}", line);
        cycleEnded.accept(line);
        if (decision instanceof Decision.StartReplica s && s.leader().isEmpty() && after.state() instanceof PgState.Running) {
            // Started only so that it can race: do so now rather than a loop_wait later.
            wakeup.wake("started read-only, racing");
        }
    }

    /**
     * A ttl changed in the DCS config reaches the lease here, at the end of the cycle that read it
     * (see {@link LeasePlan}). Returns whether this member still leads: true unless the move found
     * the leader key no longer ours.
     */
    private boolean followTtl(boolean leads, boolean primaryAfter, boolean dcsReachable) {
        Optional<LeasePlan.Change> change = LeasePlan.change(timing.ttl(), session.requestedTtl(), dcsReachable);
        if (change.isEmpty()) {
            return leads;
        }
        Lease before = session.lease();
        boolean writesUnderKey = leads && primaryAfter && !dynamic.pause();
        String ttls = "lease ttl " + before.ttl().toSeconds() + " s → " + change.get().to().toSeconds() + " s";
        try {
            Relet relet = session.relet(change.get().to().toSeconds(),
                    fresh -> apply(fencePlan.beforeMovingLease(writesUnderKey, before.deadlineNanos(), fresh.deadlineNanos())));
            if (relet instanceof Relet.Moved m) {
                LOG.info("{}: {}; {} moved to lease {} (granted {} s), lease {} revoked", ttls, change.get().why(),
                        m.leaderKeyMoved() ? "leader and member keys" : "member key", Long.toHexString(m.lease().id()),
                        m.lease().ttl().toSeconds(), Long.toHexString(m.previous().id()));
                return leads && m.leaderKeyMoved(); // leading, the key was on our lease: it moves unless it changed meanwhile
            }
            LOG.warn("{} not done this cycle: {}", ttls, ((Relet.Kept) relet).why());
        } catch (LeaseGoneException e) {
            leaseGone(e);
        } catch (DcsException e) {
            LOG.warn("{} not done this cycle: {}", ttls, e.getMessage());
        }
        return leads;
    }

    private Optional<Cluster> readDcs() {
        long t0 = clock.nanos();
        try {
            boolean sawLeader = lastCluster != null && lastCluster.hasLeader();
            boolean renewed = RenewalPlan.beforeReading(keyLease != 0, sawLeader, session.lease().deadlineNanos() - clock.nanos(),
                    timing.loopWait(), timing.retryTimeout());
            Cluster c;
            if (renewed) {
                RenewedRead both = session.renewThenRead(this::leaseFoundGone, dcs);
                pingWatchdogIfRenewed(both.renewal());
                c = both.cluster();
            } else {
                c = dcs.read(Consistency.LINEARIZABLE);
            }
            if (RenewalPlan.afterReading(renewed, c.hasLeader(), c.isLeader(config.name()))) {
                renew();
            }
            dcsRoundTrip = clock.nanos() - t0;
            dcsLastSeen = System.currentTimeMillis() / 1000;
            c.problems().forEach(p -> LOG.warn("ignoring a malformed DCS value: {}", p));
            return Optional.of(c);
        } catch (DcsException e) {
            dcsRoundTrip = clock.nanos() - t0;
            LOG.warn("DCS unreachable this cycle: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void renew() {
        pingWatchdogIfRenewed(session.renew(this::leaseFoundGone));
    }

    private void pingWatchdogIfRenewed(Renewal renewal) {
        if (renewal instanceof Renewal.Renewed) {
            watchdog.leaseRenewed(); // the only place the watchdog is pinged
        }
    }

    /**
     * The DCS says our lease does not exist, though our clock gives it time yet (the chaos suite saw
     * etcd revoke a live lease, and a publish be the first to hear of it): the leader key went with
     * it, so a primary stops now rather than at the deadline, and the loop looks again at once.
     */
    private void leaseGone(LeaseGoneException e) {
        LOG.warn("lease gone on the DCS before its deadline: {}; a primary stops writing now", e.getMessage());
        fence.leaseGone();
        wakeup.wake("lease gone");
    }

    /** The keepalive found the lease gone in the DCS: the key went with it. */
    private void leaseFoundGone() {
        apply(fencePlan.whenLeaseFoundGone(failsafeGrantedUntil, clock.nanos()));
    }

    private void apply(FenceStep step) {
        if (step instanceof FenceStep.ArmAt a) {
            fence.arm(a.deadlineNanos());
        } else if (step instanceof FenceStep.ArmOnLease) {
            fence.arm(fencePlan.deadline(session.lease().deadlineNanos()));
        } else if (step instanceof FenceStep.Disarm) {
            fence.disarm();
        } else if (step instanceof FenceStep.FireIfArmed) {
            fence.leaseGone();
        }
    }

    private void apply(WatchdogStep step, Decision decision) {
        if (step instanceof WatchdogStep.Ping) {
            watchdog.leaseRenewed();
        } else if (step instanceof WatchdogStep.Activate) {
            watchdog.activate(watchdogTimeout(), timing.loopWait());
        } else if (step instanceof WatchdogStep.StandDown s) {
            watchdog.standDown(s.stillPrimary(), decision.action());
        }
    }

    /**
     * ttl - safety_margin, on the shorter of the configured ttl and the TTL the lease was granted: a
     * ttl raised in the config must not loosen the watchdog before the lease has moved to it.
     */
    private Duration watchdogTimeout() {
        Duration ahead = timing.ttl().minus(session.lease().ttl());
        return config.watchdog().timeout(timing).minus(ahead.isNegative() ? Duration.ZERO : ahead);
    }

    private void renewQuietly() {
        try {
            session.renew(this::leaseFoundGone);
        } catch (DcsException e) {
            LOG.warn("lease not renewed after a long cycle: {}", e.getMessage()); // the fence keeps the old deadline
        }
    }

    private void adoptDynamicConfig(Cluster c) {
        if (c.config().isEmpty() || c.config().get().version() == dynamicVersion) {
            return;
        }
        dynamicVersion = c.config().get().version();
        DynamicConfig d;
        try {
            d = DynamicConfig.fromJson(c.config().get().value());
        } catch (RuntimeException e) {
            LOG.error("config key rejected, keeping the previous one: {}", e.getMessage());
            return;
        }
        Validated<Timing> t = config.timing(d);
        if (!t.isValid()) {
            LOG.error("config key rejected, keeping the previous timing: {}", t.problems());
            return;
        }
        if (!t.value().equals(timing) || !d.equals(dynamic)) {
            LOG.info("config applied: {}", t.value());
        }
        parametersChanged |= !d.postgresql().parameters().equals(dynamic.postgresql().parameters());
        apply(d, t.value());
    }

    /** What this node knows about failsafe mode for the decision of this cycle. */
    private Failsafe failsafeView() {
        return new Failsafe(lastFailsafeKey(), failsafeGrantedUntil, Optional.empty(), failsafeAcks.last(), OptionalLong.of(startedNanos));
    }

    private Map<String, String> lastFailsafeKey() {
        return failsafeKey;
    }

    private FailsafeStatus failsafeStatus() {
        long until = fencePlan.deadline(Math.max(session.lease().deadlineNanos(), failsafeGrantedUntil));
        return new FailsafeStatus(dynamic.failsafeMode(), failsafeWatch.active(), failsafeWatch.active() ? until : 0, lastFailsafeKey());
    }

    /** A switchover or failover this node runs is done once its candidate leads: as primary, or as a standby cluster's standby leader. */
    private void noticeTakeover(Cluster c) {
        operations.current().filter(op -> op.state() == OperationLog.State.RUNNING && !op.to().isEmpty())
                .ifPresent(op -> c.leadsAs(op.to()).ifPresent(as -> {
                    operations.phase(op.kind(), "promoted", op.to() + " leads as " + as);
                    operations.finish(op.kind(), true, "Successfully " + (op.kind().equals("failover") ? "failed" : "switched")
                            + " over to \"" + op.to() + "\"");
                }));
    }

    private static boolean holdsKeyAfter(Decision d, Observation o, boolean wonLeader) {
        if (d instanceof Decision.ReleaseLeader || d instanceof Decision.Demote || d instanceof Decision.HandOver) {
            return false;
        }
        return o.holdsLeaderKey() || wonLeader;
    }

    private void publish(Optional<Cluster> cluster, PgSnapshot snapshot, boolean leads) {
        if (cluster.isEmpty()) {
            return;
        }
        try {
            boolean standbyLeader = leads && dynamic.isStandbyCluster();
            session.publish(report.of(snapshot, dynamic.pause(), actions.memberState(), session.lease().ttl(), standbyLeader));
            // A standby leader's optime is what it has received: its members' lag is measured against it.
            long optime = snapshot.runsAsPrimary() ? snapshot.writeLsn() : snapshot.walPosition();
            if (leads && (snapshot.runsAsPrimary() || standbyLeader && snapshot.running()) && optime != lastStatusOptime) {
                actions.publishLeaderStatus(snapshot);
                lastStatusOptime = optime;
            }
        } catch (LeaseGoneException e) {
            leaseGone(e);
        } catch (DcsException e) {
            LOG.warn("member key not published: {}", e.getMessage());
        }
    }

    private void publishStatus(Optional<Cluster> cluster, PgSnapshot snapshot, boolean leads, Decision d, long started) {
        status.set(new NodeStatus(config.scope(), config.name(), Daemon.VERSION, snapshot, leads, session.lease().deadlineNanos(),
                cluster, dcsLastSeen, dcsRoundTrip, clock.nanos(), session.lease().ttl(), timing.loopWait(), config.tags().toMemberTags(),
                dynamic.pause(), d.action(), d.reason(), actions.memberState(), watchdog.status(), failsafeStatus()));
    }

    /** PostgreSQL exited under us: say so at once (REST turns 503), then let the loop react. */
    void postgresExited() {
        announceStopped("crashed");
        wake("postgres exit");
    }

    /** PostgreSQL is down (crashed, or stopped by us mid-cycle): health checks must not wait for the cycle to end to hear it. */
    void announceStopped(String state) {
        NodeStatus s = status.get();
        if (s != null) {
            status.set(new NodeStatus(s.scope(), s.name(), s.version(), s.pg().stopped(state), s.holdsLeaderKey(),
                    s.leaseDeadlineNanos(), s.cluster(), s.dcsLastSeenEpochSeconds(), s.dcsRoundTripNanos(), s.lastCycleNanos(),
                    s.ttl(), s.loopWait(), s.tags(), s.paused(), s.lastAction(), s.lastReason(), s.memberState(), s.watchdog(),
                    s.failsafe()));
        }
    }

}
