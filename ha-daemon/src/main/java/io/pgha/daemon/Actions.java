package io.pgha.daemon;

import io.pgha.ha.ReplicationPeer;
import io.pgha.config.CallbackEvent;
import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterStatus;
import io.pgha.dcs.model.HistoryEntry;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.SyncState;
import io.pgha.ha.Decision;
import io.pgha.ha.StandbyNames;
import io.pgha.ha.SyncConfirmation;
import io.pgha.ha.SyncFollowUp;
import io.pgha.ha.SyncPlan;
import io.pgha.ha.OperatorRequest;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.PgConf;
import io.pgha.postgres.Roles;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Consumer;

/**
 * Carries out one decision on PostgreSQL and the DCS and says in a few words what it did. This is
 * the only place with side effects of the HA loop; the rules stay in {@code HaCore}.
 */
final class Actions {
    private static final Logger LOG = LoggerFactory.getLogger(Actions.class);
    static final int REWIND_ATTEMPTS = 3;

    private final PghaConfig config;
    private final Dcs dcs;
    private final MemberSession session;
    private final Postgres pg;
    private final Callbacks callbacks;
    private DynamicConfig dynamic;
    private Timing timing;

    private boolean wonLeader;
    private Optional<LeaseGoneException> leaseGone = Optional.empty();
    private Optional<Upstream> following = Optional.empty();
    private long notStreamingSince;
    private int rewindFailures;
    private String memberState = "";
    private final Map<String, Long> slotsGoneSince = new HashMap<>();
    private final SyncConfirmation syncConfirmation = new SyncConfirmation();
    private final SyncFollowUp syncFollowUp = new SyncFollowUp();
    /** The failsafe key as last written by this leader (this cycle's snapshot still has the value before). */
    private Optional<Map<String, String>> failsafeKeyWritten = Optional.empty();
    /** What the cycle observed before deciding: the effects read streaming state and replication rows from it. */
    private PgSnapshot lastSeen = PgSnapshot.notRunning("stopped", "replica");

    private final Handover handover;
    private final Runnable disarmFence;
    /** Health checks hear of a stop before it begins (the postmaster-exit poll is 50 ms later). */
    private final Consumer<String> announceStopped;

    Actions(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Callbacks callbacks, Handover handover, Runnable disarmFence,
            Consumer<String> announceStopped) {
        this.config = config;
        this.dcs = dcs;
        this.session = session;
        this.pg = pg;
        this.callbacks = callbacks;
        this.handover = handover;
        this.disarmFence = disarmFence;
        this.announceStopped = announceStopped;
    }

    void configure(DynamicConfig d, Timing t) {
        this.dynamic = d;
        this.timing = t;
    }

    boolean wonLeaderThisCycle() {
        return wonLeader;
    }

    String memberState() {
        return memberState;
    }

    /**
     * What this leader wrote to the failsafe key during the last {@link #carryOut}, if anything.
     * Until the next read it is the truer value: members that read the DCS now go by it.
     */
    Optional<Map<String, String>> failsafeKeyWritten() {
        return failsafeKeyWritten;
    }

    /** A DCS write during the last {@link #carryOut} was refused because this session's lease is gone. */
    Optional<LeaseGoneException> leaseGoneThisCycle() {
        return leaseGone;
    }

    /** When the next cycle should come sooner than loop_wait: a synchronous standby change is under way. */
    OptionalLong syncFollowUpAt() {
        return syncFollowUp.dueAt();
    }

    String carryOut(Decision d, Observation o, PgSnapshot seen) {
        wonLeader = false;
        if (d instanceof Decision.KeepLeading) {
            syncFollowUp.cycleStarts();
        } else {
            syncFollowUp.idle();
        }
        leaseGone = Optional.empty();
        failsafeKeyWritten = Optional.empty();
        lastSeen = seen;
        try {
            return dispatch(d, o);
        } catch (LeaseGoneException e) {
            leaseGone = Optional.of(e);
            return "not done, the lease is gone: " + e.getMessage();
        } catch (DcsException e) {
            return "not done, DCS failed: " + e.getMessage();
        } catch (SQLException e) {
            return "not done, PostgreSQL failed: " + e.getMessage().lines().findFirst().orElse("");
        } catch (RuntimeException e) {
            LOG.warn("{} failed", d.action(), e);
            return "failed: " + e.getMessage();
        }
    }

    private String dispatch(Decision d, Observation o) throws SQLException {
        Cluster cluster = o.cluster().orElse(null);
        if (d instanceof Decision.KeepLeading) {
            if (!leaseOutlastsMargin()) {
                // Decided on a lease that has run out since (frozen between deciding and acting): the
                // leader's writes (sync and failsafe keys, history) would overwrite a new leader's.
                return "not done: the lease is within its safety margin by now; deciding again next cycle";
            }
            return keepLeading(cluster, o);
        }
        if (d instanceof Decision.AcquireLeader) {
            if (!session.acquireLeader()) {
                if (o.pg() instanceof PgState.Running r && r.isPrimary() && !dynamic.pause()) {
                    // Taking the key back failed: someone else holds it, and this primary must not write on.
                    return "lost the race: another member took the key first; "
                            + demote(new Decision.Demote(Decision.DemoteMode.NOLOCK, "lost the race"), cluster);
                }
                return "lost the race: another member took the key first";
            }
            wonLeader = true;
            String promoted = o.pg() instanceof PgState.Running r && !r.isPrimary() ? "; " + promote(cluster, r) : "";
            return "acquired the leader key" + promoted + dropFailoverKey(cluster);
        }
        if (d instanceof Decision.TakeOverLeader t) {
            if (!session.takeOverLeader(t.version())) {
                return "not done: the leader key changed or expired since it was read";
            }
            wonLeader = true;
            return "the leader key is bound to my lease " + Long.toHexString(session.lease().id()) + "; PostgreSQL kept running as primary";
        }
        if (d instanceof Decision.HandOver h) {
            return handOver(cluster, h.candidate(), o.nowNanos());
        }
        if (d instanceof Decision.DropFailoverRequest) {
            return dropFailoverKey(cluster).isEmpty() ? "the failover key was already gone" : "removed the failover key";
        }
        if (d instanceof Decision.Carry c) {
            return carry(c.request(), o, cluster);
        }
        if ((d instanceof Decision.Promote || d instanceof Decision.RestartPrimary) && !leaseOutlastsMargin()) {
            // Decided on a lease that has run out since (the process was frozen or slow between the
            // decision and now): making PostgreSQL writable now could overlap a new leader.
            return "not done: the lease is within its safety margin by now; deciding again next cycle";
        }
        if (d instanceof Decision.Promote) {
            return promote(cluster, (PgState.Running) o.pg());
        }
        if (d instanceof Decision.Demote dm) {
            return demote(dm, cluster);
        }
        if (d instanceof Decision.ReleaseLeader) {
            String stopped = "";
            if (o.pg() instanceof PgState.Starting) {
                // A postmaster that does not answer (frozen, or in a long crash recovery as primary) must
                // not come back writable once someone else leads: stop it before the key goes.
                disarmFence.run();
                stopped = pg.fence() + "; ";
            }
            boolean released = session.releaseLeader();
            callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "demoted");
            return stopped + (released ? "released the leader key" : "the leader key was no longer mine");
        }
        if (d instanceof Decision.RestartPrimary) {
            CommandResult r = pg.start(false, Optional.empty(), dynamicParameters());
            callbacks.fire(CallbackEvent.ON_RESTART, "primary");
            return r.ok() ? "restarted PostgreSQL as primary" : "restart failed: " + r.describe();
        }
        if (d instanceof Decision.Follow f) {
            return follow(cluster, f.leader(), o);
        }
        if (d instanceof Decision.StartReplica s) {
            return startReplica(cluster, s, o);
        }
        if (d instanceof Decision.Clone c) {
            return cloneFrom(cluster, c.from());
        }
        if (d instanceof Decision.RaceInitialize) {
            return bootstrap();
        }
        return "";
    }

    // ---- leader --------------------------------------------------------------------------------

    private String keepLeading(Cluster cluster, Observation o) throws SQLException {
        List<String> done = new ArrayList<>(syncSlots(cluster, o.nowNanos()));
        syncReplication(cluster, o.nowNanos()).ifPresent(done::add);
        failsafeKey(cluster).ifPresent(done::add);
        if (o.pg() instanceof PgState.Running r && r.timeline() > 1 && cluster.timelineFromHistory() < r.timeline()) {
            done.add(recordHistory(cluster, r.timeline()));
        }
        if (cluster.initialize().isPresent() && cluster.initialize().get().value().isBlank() && o.pg() instanceof PgState.Running r) {
            dcs.write(ClusterKey.INITIALIZE, Long.toUnsignedString(r.systemId()), Expect.version(cluster.initialize().get().version()));
            done.add("wrote initialize");
        }
        return String.join(", ", done);
    }

    /**
     * The {@code failsafe} key, kept by the leader: with failsafe_mode on, every member that published
     * an api_url (and this one), written only when that changed; with it off, deleted. It names whom
     * the leader must hear from to keep running without the DCS, and who may race then.
     */
    private Optional<String> failsafeKey(Cluster cluster) {
        Optional<io.pgha.dcs.model.Versioned<Map<String, String>>> current = cluster.failsafe();
        if (!dynamic.failsafeMode()) {
            if (current.isEmpty()) {
                return Optional.empty();
            }
            dcs.delete(ClusterKey.FAILSAFE, Expect.anything());
            return Optional.of("removed the failsafe key (failsafe_mode is off)");
        }
        Map<String, String> wanted = new java.util.TreeMap<>();
        for (Member m : cluster.members().values()) {
            if (!m.data().apiUrl().isBlank()) {
                wanted.put(m.name(), m.data().apiUrl());
            }
        }
        wanted.put(config.name(), MemberReport.apiUrl(config));
        if (current.isPresent() && current.get().value().equals(wanted)) {
            return Optional.empty();
        }
        // Only the leader writes it, so no compare-and-swap: a malformed value is replaced, not stuck on.
        failsafeKeyWritten = Optional.of(wanted); // set first: a write that times out may still have landed
        dcs.write(ClusterKey.FAILSAFE, new io.vertx.core.json.JsonObject(new java.util.LinkedHashMap<>(wanted)).encode(), Expect.anything());
        return Optional.of("failsafe key now " + String.join(", ", wanted.keySet()));
    }

    /** One step of {@link SyncPlan} per cycle: the order of the steps is what keeps failover lossless. */
    private Optional<String> syncReplication(Cluster cluster, long now) throws SQLException {
        StandbyNames guc = StandbyNames.parse(pg.synchronousStandbyNames());
        List<ReplicationPeer> rows = lastSeen.replication();
        if (syncConfirmation.wantsThreshold(guc, now)) {
            syncConfirmation.threshold(pg.currentFlushLsn());
        }
        boolean confirmed = syncConfirmation.confirmed(guc, rows);
        SyncPlan.Step step = SyncPlan.next(new SyncPlan.Inputs(config.name(), dynamic.synchronousMode(), dynamic.synchronousModeStrict(),
                dynamic.strictRejectsWrites(), dynamic.synchronousNodeCount(), cluster, guc, confirmed, pg.defaultReadOnly(), rows));
        syncFollowUp.after(step, now);
        if (step instanceof SyncPlan.SetStandbyNames s) {
            pg.setSynchronousStandbyNames(s.value().render());
            syncConfirmation.changed(s.value(), now);
        } else if (step instanceof SyncPlan.RejectWrites r) {
            pg.setDefaultReadOnly(r.reject());
        } else if (step instanceof SyncPlan.WriteSyncKey w) {
            SyncState next = new SyncState(Optional.of(config.name()), w.voters(), w.quorum().map(Integer::longValue));
            Expect expect = cluster.sync().map(v -> Expect.version(v.version())).orElse(Expect.absent());
            if (!(dcs.write(ClusterKey.SYNC, next.toJson(), expect) instanceof CasResult.Written)) {
                return Optional.of("sync key changed meanwhile; next cycle");
            }
        } else if (step instanceof SyncPlan.DropSyncKey) {
            Expect expect = cluster.sync().map(v -> Expect.version(v.version())).orElse(Expect.anything());
            if (!(dcs.delete(ClusterKey.SYNC, expect) instanceof CasResult.Written)) {
                return Optional.of("sync key changed meanwhile; next cycle");
            }
        }
        return step instanceof SyncPlan.Steady ? Optional.empty() : Optional.of(step.describe());
    }

    private List<String> syncSlots(Cluster cluster, long now) throws SQLException {
        if (!dynamic.postgresql().useSlots()) {
            return List.of();
        }
        Set<String> wanted = new HashSet<>();
        for (Member m : cluster.members().values()) {
            if (!m.name().equals(config.name())) {
                wanted.add(PgConf.slotName(m.name()));
            }
        }
        slotsGoneSince.keySet().removeIf(wanted::contains);
        // Keep a vanished member's slot for member_slots_ttl: it is probably restarting and will
        // need the WAL it has not received yet.
        return pg.syncSlots(wanted, slot -> now - slotsGoneSince.computeIfAbsent(slot, x -> now) < dynamic.memberSlotsTtl().toNanos());
    }

    private String recordHistory(Cluster cluster, long timeline) {
        Path file = pg.dataDir().resolve("pg_wal").resolve(String.format("%08X.history", timeline));
        List<HistoryEntry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+", 3);
                if (f.length < 2 || line.startsWith("#")) {
                    continue;
                }
                entries.add(new HistoryEntry(Long.parseLong(f[0]), io.pgha.dcs.model.Lsn.parse(f[1]),
                        f.length > 2 ? f[2] : "", Optional.empty(), Optional.empty()));
            }
        } catch (IOException | RuntimeException e) {
            return "history not recorded (" + file.getFileName() + ": " + e.getMessage() + ")";
        }
        if (!entries.isEmpty()) {
            HistoryEntry last = entries.remove(entries.size() - 1);
            entries.add(new HistoryEntry(last.timeline(), last.lsn(), last.reason(),
                    Optional.of(Instant.now().toString()), Optional.of(config.name())));
        }
        // Keep timestamps and leaders of earlier entries as the key already has them.
        List<HistoryEntry> known = cluster.history().map(h -> h.value()).orElse(List.of());
        for (int i = 0; i < known.size() && i < entries.size() - 1; i++) {
            entries.set(i, known.get(i));
        }
        Expect expect = cluster.history().map(h -> Expect.version(h.version())).orElse(Expect.absent());
        CasResult r = dcs.write(ClusterKey.HISTORY, HistoryEntry.toJson(entries), expect);
        return r instanceof CasResult.Written ? "recorded timeline " + timeline + " in history" : "history changed meanwhile";
    }

    void publishLeaderStatus(PgSnapshot s) {
        ClusterStatus status = new ClusterStatus(s.writeLsn(), Map.of(), List.of(), s.timeline());
        dcs.write(ClusterKey.STATUS, status.toJson(), Expect.anything());
    }

    private String promote(Cluster cluster, PgState.Running replica) throws SQLException {
        // Claimed before PostgreSQL switches: a member promoted after us, even one that never hears
        // of our timeline, must not name its own history with the same number.
        long next = Math.max(replica.timeline(), cluster.highestTimelineKnown()) + 1;
        dcs.write(ClusterKey.STATUS, new ClusterStatus(cluster.optime(), Map.of(), List.of(), next).toJson(), Expect.anything());
        List<Long> skipped = pg.skipTimelines(replica.timeline() + 1, next);
        String promoted = skipped.isEmpty() ? "promoted" : "promoted (skipping timeline(s) " + skipped
                + ", used elsewhere in the cluster but never received here)";
        CommandResult r = pg.promote();
        if (!r.ok()) {
            return "promotion failed: " + r.describe();
        }
        following = Optional.empty();
        callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "primary");
        // pg_rewind of the old primary reads the new timeline from this checkpoint's control file.
        pg.checkpoint();
        return promoted;
    }

    private String demote(Decision.Demote d, Cluster cluster) {
        announceStopped.accept("demoting");
        CommandResult r = pg.stop(Postgres.StopMode.IMMEDIATE);
        callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "demoted");
        if (!r.ok()) {
            return "stop failed: " + r.describe();
        }
        following = Optional.empty();
        // Back as a read-only standby without an upstream: reads keep working, writes cannot.
        // Following a leader waits for the next cycle, which checks the timelines first.
        CommandResult start = pg.start(true, Optional.empty(), dynamicParameters());
        return "stopped immediately; " + (start.ok() ? "restarted read-only" : "read-only start failed: " + start.describe());
    }

    private boolean leaseOutlastsMargin() {
        return session.lease().deadlineNanos() - timing.safetyMargin().toNanos() > MonotonicClock.SYSTEM.nanos();
    }

    /** The request is settled once a leader took over (or was refused); a stale key would redo it. */
    private String dropFailoverKey(Cluster cluster) {
        if (cluster == null || cluster.failover().isEmpty()) {
            return "";
        }
        CasResult r = dcs.delete(ClusterKey.FAILOVER, Expect.version(cluster.failover().get().version()));
        return r instanceof CasResult.Written ? "; removed the failover key" : "";
    }

    private String handOver(Cluster cluster, String candidate, long now) {
        Optional<Upstream> db = upstreamOf(cluster, candidate);
        if (db.isEmpty()) {
            return "switchover to " + candidate + " not started: it has published no conn_url" + dropFailoverKey(cluster);
        }
        String outcome = handover.run(config.name(), cluster.failoverRequest(), candidate, db.get(), disarmFence, dynamicParameters(),
                timing.retryTimeout().plus(timing.loopWait()));
        if (outcome.startsWith("handed")) {
            following = db;
            // It streams from the new leader in a moment; the divergence check must not count the time before.
            notStreamingSince = now;
        }
        return outcome;
    }

    // ---- operator requests ---------------------------------------------------------------------

    private String carry(OperatorRequest request, Observation o, Cluster cluster) throws SQLException {
        if (request instanceof OperatorRequest.Restart) {
            return restart(o);
        }
        if (request instanceof OperatorRequest.Reload) {
            String done = reloadParameters(o.pg() instanceof PgState.Running r && r.isPrimary());
            return done.startsWith("not") ? "reload failed: " + done : "reloaded PostgreSQL's configuration";
        }
        return reinitialize(cluster);
    }

    /** Rewrites postgresql.conf with the current parameters and reloads the running server. */
    String reloadParameters(boolean primary) {
        try {
            pg.reload(!primary, primary ? Optional.empty() : following, dynamicParameters());
            return "written and reloaded";
        } catch (SQLException | RuntimeException e) {
            return "not reloaded: " + e.getMessage();
        }
    }

    private String restart(Observation o) {
        boolean primary = o.pg() instanceof PgState.Running r && r.isPrimary();
        if (primary) {
            disarmFence.run(); // stopped, it cannot write; the loop arms the fence again on the renewed lease
        }
        CommandResult stop = pg.stop(Postgres.StopMode.FAST);
        if (!stop.ok()) {
            return "restart failed: stop: " + stop.describe();
        }
        if (primary && session.renew() instanceof Renewal.Expired) {
            // The key went with the lease while PostgreSQL stopped: someone else may lead now.
            return "restart failed: PostgreSQL stopped, and not started again as primary: the lease expired in the DCS meanwhile";
        }
        CommandResult start = pg.start(!primary, primary ? Optional.empty() : following, dynamicParameters());
        callbacks.fire(CallbackEvent.ON_RESTART, primary ? "primary" : "replica");
        return start.ok() ? "restarted successfully" : "restart failed: " + start.describe();
    }

    /**
     * Clones this replica again from the leader. The old data directory is moved aside first and
     * removed only once the new clone runs: an operator asked for it, but a failed clone must not
     * leave the node with nothing.
     */
    private String reinitialize(Cluster cluster) {
        String leader = cluster.leaderName().orElseThrow();
        Optional<Upstream> upstream = upstreamOf(cluster, leader);
        if (upstream.isEmpty()) {
            return "reinitialize failed: leader " + leader + " has published no conn_url";
        }
        if (pg.postmasterPid().isPresent()) {
            CommandResult stop = pg.stop(Postgres.StopMode.IMMEDIATE);
            if (!stop.ok()) {
                return "reinitialize failed: stop: " + stop.describe();
            }
        }
        following = Optional.empty();
        Optional<Path> aside = pg.hasDataDirectory() ? Optional.of(pg.moveAside("reinit")) : Optional.empty();
        memberState = "creating replica";
        String cloned = cloneFrom(cluster, leader);
        boolean ok = cloned.startsWith("cloned") && pg.postmasterPid().isPresent();
        memberState = ok ? "" : "reinitialize failed";
        if (!ok) {
            return "reinitialize failed: " + cloned + aside.map(a -> "; the old data directory is kept at " + a).orElse("");
        }
        aside.ifPresent(Postgres::removeDirectory);
        return "reinitialized: " + cloned + aside.map(a -> "; removed the old data directory " + a).orElse("");
    }

    // ---- replica -------------------------------------------------------------------------------

    private String follow(Cluster cluster, String leader, Observation o) throws SQLException {
        Optional<Upstream> upstream = upstreamOf(cluster, leader);
        if (upstream.isEmpty()) {
            return "leader " + leader + " has published no conn_url yet";
        }
        if (!(o.pg() instanceof PgState.Running r)) {
            // Starting, not answering yet. Started towards another upstream (or none, to race) it may
            // never become consistent: stop it, and the start path points it at the leader after the
            // divergence check. Started towards the leader: it follows once it answers.
            if (upstream.equals(following)) {
                return "";
            }
            String was = following.map(u -> "a replica of " + u.member()).orElse("a replica without upstream");
            pg.stop(Postgres.StopMode.FAST);
            following = Optional.empty();
            return "it was starting as " + was + ", not of leader " + leader + ": stopped, to start again towards " + leader;
        }
        long leaderTimeline = leaderTimeline(cluster, leader);
        if (!upstream.equals(following)) {
            pg.follow(upstream, dynamicParameters());
            following = upstream;
            notStreamingSince = o.nowNanos();
            return "re-pointed to " + leader + " by reload";
        }
        if (r.timeline() < leaderTimeline && !"streaming".equals(lastSeen.replicationState())) {
            if (o.nowNanos() - notStreamingSince > timing.ttl().toNanos() && accepts(upstream.get())) {
                // Not streaming from a live leader on a newer timeline: maybe diverged. Stop and let
                // the start path compare timelines (and rewind) instead of retrying forever. A leader
                // that does not even accept connections is down, not ahead of us: its key will expire.
                pg.stop(Postgres.StopMode.FAST);
                following = Optional.empty();
                return "not streaming from " + leader + " for " + timing.ttl().toSeconds() + " s on an older timeline; stopped for a divergence check";
            }
        } else {
            notStreamingSince = o.nowNanos();
        }
        return "";
    }

    private static boolean accepts(Upstream u) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(u.host(), u.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String startReplica(Cluster cluster, Decision.StartReplica s, Observation o) {
        Optional<Upstream> upstream = s.leader().isEmpty() ? Optional.empty() : upstreamOf(cluster, s.leader());
        if (pg.rewindUnfinished()) {
            // Half-rewound files, or WAL pg_rewind cannot read, are no replica (the chaos suite saw one
            // started anyway never reach consistency and sit "starting" for good): only a new clone is.
            return unusableAfterRewind(upstream);
        }
        if (upstream.isPresent()) {
            long myTimeline = ((PgState.Stopped) o.pg()).timeline();
            long leaderTimeline = leaderTimeline(cluster, s.leader());
            // A different timeline may or may not mean divergence; pg_rewind knows, and says
            // "no rewind required" when the history is a prefix of the leader's.
            boolean diverged = leaderTimeline > 0 ? myTimeline != leaderTimeline : s.wasPrimary();
            if (diverged) {
                Optional<String> blocked = rejoin(upstream.get(), myTimeline, leaderTimeline);
                if (blocked.isPresent()) {
                    return blocked.get();
                }
            }
        }
        CommandResult r = pg.start(true, upstream, dynamicParameters());
        following = upstream;
        notStreamingSince = o.nowNanos();
        callbacks.fire(CallbackEvent.ON_START, "replica");
        return r.ok() ? "started as replica" + upstream.map(u -> " of " + u.member()).orElse(" without upstream")
                : "start failed: " + r.describe();
    }

    private String unusableAfterRewind(Optional<Upstream> leader) {
        if (leader.isEmpty()) {
            return "PostgreSQL stays stopped: a pg_rewind left its data directory unusable, and there is no leader to clone from";
        }
        if (config.postgresql().removeDataDirectoryOnRewindFailure()) {
            Path aside = pg.moveAside("rewind-failed");
            rewindFailures = 0;
            memberState = "";
            return "a pg_rewind left the data directory unusable; moved to " + aside + ", re-cloning from " + leader.get().member() + " next";
        }
        memberState = "rewind failed: data directory unusable, needs reinit";
        return "PostgreSQL stays stopped: a pg_rewind left its data directory unusable (reinit this member, or set"
                + " remove_data_directory_on_rewind_failure)";
    }

    /** Brings a diverged data directory back in line; empty when it may start, else why not. */
    private Optional<String> rejoin(Upstream leader, long mine, long theirs) {
        boolean rewind = dynamic.postgresql().usePgRewind().orElse(config.postgresql().usePgRewind());
        if (!rewind) {
            if (config.postgresql().removeDataDirectoryOnRewindFailure()) {
                Path aside = pg.moveAside("diverged");
                memberState = "";
                return Optional.of("timeline " + mine + " vs leader's " + theirs + " and use_pg_rewind is off; data directory moved to "
                        + aside + ", re-cloning next");
            }
            memberState = "diverged: needs reinit";
            return Optional.of("timeline " + mine + " may have diverged from the leader's " + theirs
                    + "; use_pg_rewind is off, so PostgreSQL stays stopped (reinit this member)");
        }
        if (rewindFailures >= REWIND_ATTEMPTS) {
            if (config.postgresql().removeDataDirectoryOnRewindFailure()) {
                Path aside = pg.moveAside("rewind-failed");
                rewindFailures = 0;
                memberState = "";
                return Optional.of("pg_rewind failed " + REWIND_ATTEMPTS + " times; data directory moved to " + aside + ", re-cloning next");
            }
            return Optional.of("PostgreSQL stays stopped: " + memberState);
        }
        CommandResult r = pg.rewindFrom(leader);
        if (!r.ok() && pg.rewindUnfinished()) {
            LOG.warn("pg_rewind from {} failed and left the data directory unusable: {}", leader.member(), r.lastLine());
            return Optional.of(unusableAfterRewind(Optional.of(leader)));
        }
        if (r.ok()) {
            rewindFailures = 0;
            memberState = "";
            LOG.info("pg_rewind from {} done: {}", leader.member(), r.lastLine());
            return Optional.empty();
        }
        rewindFailures++;
        memberState = "rewind failed (" + rewindFailures + "/" + REWIND_ATTEMPTS + "): " + r.lastLine();
        return Optional.of("pg_rewind from " + leader.member() + " failed (" + rewindFailures + "/" + REWIND_ATTEMPTS + "): " + r.lastLine());
    }

    private String cloneFrom(Cluster cluster, String from) {
        Optional<Upstream> upstream = upstreamOf(cluster, from);
        if (upstream.isEmpty()) {
            return from + " has published no conn_url yet";
        }
        CommandResult r = pg.cloneFrom(upstream.get());
        if (!r.ok()) {
            // What a failed clone left is ours and incomplete; an empty directory lets the next try start clean.
            Postgres.clearDirectory(pg.dataDir());
            return "pg_basebackup from " + from + " failed: " + r.describe();
        }
        CommandResult start = pg.start(true, upstream, dynamicParameters());
        following = upstream;
        callbacks.fire(CallbackEvent.ON_START, "replica");
        return "cloned from " + from + "; " + (start.ok() ? "started as replica" : "start failed: " + start.describe());
    }

    // ---- bootstrap -----------------------------------------------------------------------------

    private String bootstrap() throws SQLException {
        CasResult claim = dcs.write(ClusterKey.INITIALIZE, "", Expect.absent());
        if (!(claim instanceof CasResult.Written)) {
            return "another member is bootstrapping";
        }
        try {
            pg.initdb();
            CommandResult start = pg.start(false, Optional.empty(), dynamicParameters());
            start.orThrow();
            new Roles(config.postgresql().authentication()).create(pg);
            long sysid = pg.controlData().systemId();
            Cluster now = dcs.read(io.pgha.dcs.Consistency.LINEARIZABLE);
            dcs.write(ClusterKey.INITIALIZE, Long.toUnsignedString(sysid),
                    now.initialize().map(v -> Expect.version(v.version())).orElse(Expect.absent()));
            dcs.write(ClusterKey.CONFIG, config.bootstrapDcs().toJson(), Expect.absent());
            session.takeLeader();
            wonLeader = true;
            callbacks.fire(CallbackEvent.ON_START, "primary");
            return "initialized system " + Long.toUnsignedString(sysid) + " and took the leader key";
        } catch (RuntimeException | SQLException e) {
            // Leave nothing half-made behind: free the race for the next try and keep what initdb made aside.
            try {
                pg.stop(Postgres.StopMode.IMMEDIATE);
            } catch (RuntimeException ignored) {
                // not running
            }
            if (pg.hasDataDirectory()) {
                pg.moveAside("bootstrap-failed");
            }
            dcs.delete(ClusterKey.INITIALIZE, Expect.anything());
            throw e;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Optional<Upstream> upstreamOf(Cluster cluster, String member) {
        return cluster.member(member).flatMap(m -> Upstream.fromConnUrl(member, m.data().connUrl()));
    }

    private static long leaderTimeline(Cluster cluster, String leader) {
        return cluster.member(leader).flatMap(m -> m.data().timeline()).orElse(0L);
    }

    private Map<String, String> dynamicParameters() {
        return dynamic.postgresql().parameters();
    }
}
