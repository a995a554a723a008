package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.ClusterStatus;
import io.pgha.ha.Decision;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.Upstream;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A member changing role: promotion, demotion, giving up the key, a primary's restart, and a switchover's hand-over. */
final class RoleChange {
    private final PghaConfig config;
    private final Dcs dcs;
    private final MemberSession session;
    private final Postgres pg;
    private final Callbacks callbacks;
    private final ActionSettings settings;
    private final ReplicaPath replica;
    private final Handover handover;
    private final Runnable disarmFence;
    /** Health checks hear of a stop before it begins (the postmaster-exit poll is 50 ms later). */
    private final Consumer<String> announceStopped;

    RoleChange(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Callbacks callbacks, ActionSettings settings,
               ReplicaPath replica, Handover handover, Runnable disarmFence, Consumer<String> announceStopped) {
        this.config = config;
        this.dcs = dcs;
        this.session = session;
        this.pg = pg;
        this.callbacks = callbacks;
        this.settings = settings;
        this.replica = replica;
        this.handover = handover;
        this.disarmFence = disarmFence;
        this.announceStopped = announceStopped;
    }

    String promote(Cluster cluster, PgState.Running standby) throws SQLException {
        // Claimed before PostgreSQL switches: a member promoted after us, even one that never hears
        // of our timeline, must not name its own history with the same number.
        long next = Math.max(standby.timeline(), cluster.highestTimelineKnown()) + 1;
        dcs.write(ClusterKey.STATUS, new ClusterStatus(cluster.optime(), Map.of(), List.of(), next).toJson(), Expect.anything());
        List<Long> skipped = pg.skipTimelines(standby.timeline() + 1, next);
        // The timeline names the promotion in every later log and pgha history line.
        String promoted = skipped.isEmpty() ? "promoted onto timeline " + next : "promoted onto timeline " + next + " (skipping timeline(s) " + skipped
                + ", used elsewhere in the cluster but never received here)";
        CommandResult r = pg.promote();
        if (!r.ok()) {
            return "promotion failed: " + r.describe();
        }
        replica.forget();
        callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "primary");
        // pg_rewind of the old primary reads the new timeline from this checkpoint's control file.
        pg.checkpoint();
        return promoted;
    }

    String demote(Decision.Demote d, Cluster cluster) {
        announceStopped.accept("demoting");
        CommandResult r = pg.stop(Postgres.StopMode.IMMEDIATE);
        callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "demoted");
        if (!r.ok()) {
            return "stop failed: " + r.describe();
        }
        replica.forget();
        // Back as a read-only standby without an upstream: reads keep working, writes cannot.
        // Following a leader waits for the next cycle, which checks the timelines first.
        CommandResult start = pg.start(true, Optional.empty(), settings.parameters());
        return "stopped immediately; " + (start.ok() ? "restarted read-only" : "read-only start failed: " + start.describe());
    }

    /** Gives up the key; a postmaster that does not answer is stopped first. */
    String release(Observation o) {
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

    String restartPrimary() {
        CommandResult r = pg.start(false, Optional.empty(), settings.parameters());
        callbacks.fire(CallbackEvent.ON_RESTART, "primary");
        return r.ok() ? "restarted PostgreSQL as primary" : "restart failed: " + r.describe();
    }

    /** The request is settled once a leader took over (or was refused); a stale key would redo it. */
    String dropFailoverKey(Cluster cluster) {
        if (cluster == null || cluster.failover().isEmpty()) {
            return "";
        }
        CasResult r = dcs.delete(ClusterKey.FAILOVER, Expect.version(cluster.failover().get().version()));
        return r instanceof CasResult.Written ? "; removed the failover key" : "";
    }

    String handOver(Cluster cluster, String candidate, long now) {
        if (settings.dynamic().isStandbyCluster()) {
            return handover.runStandby(config.name(), cluster.failoverRequest(), candidate);
        }
        Optional<Upstream> db = ReplicaPath.upstreamOf(cluster, candidate);
        if (db.isEmpty()) {
            return "switchover to " + candidate + " not started: it has published no conn_url" + dropFailoverKey(cluster);
        }
        String outcome = handover.run(config.name(), cluster.failoverRequest(), candidate, db.get(), disarmFence, settings.parameters(),
                settings.timing().retryTimeout().plus(settings.timing().loopWait()));
        if (outcome.startsWith("handed")) {
            replica.handedOverTo(db, now);
        }
        return outcome;
    }
}
