package io.pgha.daemon;

import io.pgha.backup.Backrest;
import io.pgha.config.CallbackEvent;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.Cluster;
import io.pgha.ha.Decision;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import io.pgha.ha.RejoinPlan;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A replica's side of the loop: following the leader, starting (after a divergence check, by the
 * {@link RejoinPlan}), cloning and cloning again. It remembers whom PostgreSQL was pointed at, since
 * when it has not streamed, and the rejoin state reported as the member's state.
 */
final class ReplicaPath {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPath.class);

    private final PghaConfig config;
    private final Postgres pg;
    private final Callbacks callbacks;
    private final ActionSettings settings;
    /** Where new replicas may come from instead of the leader, when pgha.yml has a backup section. */
    private final Optional<Backrest> backrest;
    private Optional<Upstream> following = Optional.empty();
    private long notStreamingSince;
    private RejoinPlan.State rejoin = RejoinPlan.State.FRESH;

    ReplicaPath(PghaConfig config, Postgres pg, Callbacks callbacks, ActionSettings settings, Optional<Backrest> backrest) {
        this.config = config;
        this.backrest = backrest;
        this.pg = pg;
        this.callbacks = callbacks;
        this.settings = settings;
    }

    /** The upstream PostgreSQL was last pointed at; empty for a primary, or a replica without one. */
    Optional<Upstream> following() {
        return following;
    }

    /** PostgreSQL follows nobody now: promoted, demoted or stopped. */
    void forget() {
        following = Optional.empty();
    }

    /** A switchover handed over to {@code db}: this member streams from it in a moment. */
    void handedOverTo(Optional<Upstream> db, long now) {
        following = db;
        // The divergence check must not count the time before it streams.
        notStreamingSince = now;
    }

    String memberState() {
        return rejoin.memberState();
    }

    /** {@code seen}: what the cycle observed before deciding; the divergence check reads the streaming state from it. */
    String follow(Cluster cluster, String leader, Observation o, PgSnapshot seen) throws SQLException {
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
            pg.follow(upstream, settings.parameters());
            following = upstream;
            notStreamingSince = o.nowNanos();
            return "re-pointed to " + leader + " by reload";
        }
        if (r.timeline() < leaderTimeline && !"streaming".equals(seen.replicationState())) {
            if (o.nowNanos() - notStreamingSince > settings.timing().ttl().toNanos() && accepts(upstream.get())) {
                // Not streaming from a live leader on a newer timeline: maybe diverged. Stop and let
                // the start path compare timelines (and rewind) instead of retrying forever. A leader
                // that does not even accept connections is down, not ahead of us: its key will expire.
                pg.stop(Postgres.StopMode.FAST);
                following = Optional.empty();
                return "not streaming from " + leader + " for " + settings.timing().ttl().toSeconds() + " s on an older timeline; stopped for a divergence check";
            }
        } else {
            notStreamingSince = o.nowNanos();
        }
        return "";
    }

    /**
     * The standby leader keeps PostgreSQL pointed at the remote primary (by reload, as a replica is
     * re-pointed); the remote's own failovers need nothing here when {@code host} lists its members.
     */
    String followRemote(Observation o) throws SQLException {
        Optional<Upstream> remote = settings.remotePrimary();
        if (remote.equals(following)) {
            return "";
        }
        if (!(o.pg() instanceof PgState.Running)) {
            return "";
        }
        pg.follow(remote, settings.parameters());
        following = remote;
        notStreamingSince = o.nowNanos();
        return remote.map(u -> "re-pointed to the remote primary " + u.where() + " by reload")
                .orElse("no standby_cluster host: replaying from restore_command only");
    }

    /** Starts the standby leader's PostgreSQL as a replica of the remote primary (or of the archive alone). */
    String startStandbyLeader(Observation o) {
        Optional<Upstream> remote = settings.remotePrimary();
        CommandResult r = pg.start(true, remote, settings.parameters());
        following = remote;
        notStreamingSince = o.nowNanos();
        callbacks.fire(CallbackEvent.ON_START, "standby_leader");
        return r.ok() ? "started as standby leader" + remote.map(u -> ", replicating from " + u.where()).orElse(" from the archive")
                : "start failed: " + r.describe();
    }

    private static boolean accepts(Upstream u) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(u.host(), u.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String startReplica(Cluster cluster, Decision.StartReplica s, Observation o) {
        Optional<Upstream> upstream = s.leader().isEmpty() ? Optional.empty() : upstreamOf(cluster, s.leader());
        if (pg.rewindUnfinished()) {
            // Half-rewound files, or WAL pg_rewind cannot read, are no replica (the chaos suite saw one
            // started anyway never reach consistency and sit "starting" for good): only a new clone is.
            return blocked(plan().unusableAfterRewind(upstream.map(Upstream::member), rejoin));
        }
        if (upstream.isPresent()) {
            long myTimeline = ((PgState.Stopped) o.pg()).timeline();
            long leaderTimeline = leaderTimeline(cluster, s.leader());
            if (RejoinPlan.mayHaveDiverged(myTimeline, leaderTimeline, s.wasPrimary())) {
                Optional<String> blocked = rejoin(upstream.get(), myTimeline, leaderTimeline);
                if (blocked.isPresent()) {
                    return blocked.get();
                }
            }
        }
        CommandResult r = pg.start(true, upstream, settings.parameters());
        following = upstream;
        notStreamingSince = o.nowNanos();
        callbacks.fire(CallbackEvent.ON_START, "replica");
        return r.ok() ? "started as replica" + upstream.map(u -> " of " + u.member()).orElse(" without upstream")
                : "start failed: " + r.describe();
    }

    /** Brings a diverged data directory back in line; empty when it may start, else why not. */
    private Optional<String> rejoin(Upstream leader, long mine, long theirs) {
        RejoinPlan.Step step = plan().diverged(mine, theirs, rejoin);
        if (step instanceof RejoinPlan.Rewind) {
            CommandResult r = pg.rewindFrom(leader);
            boolean unusable = !r.ok() && pg.rewindUnfinished();
            if (unusable) {
                LOG.warn("pg_rewind from {} failed and left the data directory unusable: {}", leader.member(), r.lastLine());
            } else if (r.ok()) {
                LOG.info("pg_rewind from {} done: {}", leader.member(), r.lastLine());
            }
            step = plan().afterRewind(leader.member(), r.ok(), unusable, r.lastLine(), rejoin);
        }
        if (step instanceof RejoinPlan.Start) {
            rejoin = step.state();
            return Optional.empty();
        }
        return Optional.of(blocked(step));
    }

    /** Carries out a step that keeps PostgreSQL from starting now, and says why. */
    private String blocked(RejoinPlan.Step step) {
        if (step instanceof RejoinPlan.MoveAside m) {
            Path aside = pg.moveAside(m.suffix());
            rejoin = m.state();
            return m.before() + aside + m.after();
        }
        rejoin = step.state();
        return step instanceof RejoinPlan.StayStopped s ? s.why() : "";
    }

    private RejoinPlan plan() {
        return new RejoinPlan(settings.dynamic().postgresql().usePgRewind().orElse(config.postgresql().usePgRewind()),
                config.postgresql().removeDataDirectoryOnRewindFailure());
    }

    /** A new replica by the first of create_replica_methods that works: a restore from the repository, or pg_basebackup from {@code from}. */
    String cloneFrom(Cluster cluster, String from) {
        Optional<Upstream> upstream = upstreamOf(cluster, from);
        if (upstream.isEmpty()) {
            return from + " has published no conn_url yet";
        }
        List<String> failed = new ArrayList<>();
        for (String method : config.postgresql().createReplicaMethods()) {
            String outcome = method.equals("pgbackrest") ? restoreFromRepository() : basebackup(upstream.get(), from);
            if (outcome.isEmpty()) {
                CommandResult start = pg.start(true, upstream, settings.parameters());
                following = upstream;
                callbacks.fire(CallbackEvent.ON_START, "replica");
                String how = method.equals("pgbackrest") ? "restored from the backup repository" : "cloned from " + from;
                return how + (failed.isEmpty() ? "" : " (after " + String.join("; ", failed) + ")") + "; "
                        + (start.ok() ? "started as replica of " + from : "start failed: " + start.describe());
            }
            // What a failed method left is ours and incomplete; an empty directory lets the next one start clean.
            Postgres.clearDirectory(pg.dataDir());
            failed.add(outcome);
        }
        return String.join("; ", failed);
    }

    private String basebackup(Upstream upstream, String from) {
        CommandResult r = pg.cloneFrom(upstream);
        return r.ok() ? "" : "pg_basebackup from " + from + " failed: " + r.describe();
    }

    private String restoreFromRepository() {
        if (backrest.isEmpty()) {
            return "pgbackrest: no backup section";
        }
        try {
            Backrest.Result r = backrest.get().restoreStandby(line -> LOG.debug("pgbackrest: {}", line));
            return r.exit() == 0 ? "" : "pgbackrest restore failed (exit " + r.exit() + "): " + r.output().strip().lines()
                    .reduce((a, b) -> b).orElse("");
        } catch (RuntimeException e) {
            return "pgbackrest restore failed: " + e.getMessage();
        }
    }

    /**
     * Clones this replica again from the leader. The old data directory is moved aside first and
     * removed only once the new clone runs: an operator asked for it, but a failed clone must not
     * leave the node with nothing.
     */
    String reinitialize(Cluster cluster) {
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
        rejoin = new RejoinPlan.State(rejoin.rewindFailures(), "creating replica");
        String cloned = cloneFrom(cluster, leader);
        boolean ok = cloned.startsWith("cloned") && pg.postmasterPid().isPresent();
        rejoin = new RejoinPlan.State(rejoin.rewindFailures(), ok ? "" : "reinitialize failed");
        if (!ok) {
            return "reinitialize failed: " + cloned + aside.map(a -> "; the old data directory is kept at " + a).orElse("");
        }
        aside.ifPresent(Postgres::removeDirectory);
        return "reinitialized: " + cloned + aside.map(a -> "; removed the old data directory " + a).orElse("");
    }

    static Optional<Upstream> upstreamOf(Cluster cluster, String member) {
        return cluster.member(member).flatMap(m -> Upstream.fromConnUrl(member, m.data().connUrl()));
    }

    static long leaderTimeline(Cluster cluster, String leader) {
        return cluster.member(leader).flatMap(m -> m.data().timeline()).orElse(0L);
    }
}
