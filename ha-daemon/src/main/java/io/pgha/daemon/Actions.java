package io.pgha.daemon;

import io.pgha.backup.Backrest;
import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.model.Cluster;
import io.pgha.ha.Decision;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.Postgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Carries out one decision on PostgreSQL and the DCS and says what it did. This and the parts it
 * hands each decision to are the only places with side effects of the HA loop; the rules stay in
 * {@code HaCore}. Only the lease checks and the key races are done here.
 */
final class Actions {
    private static final Logger LOG = LoggerFactory.getLogger(Actions.class);

    private final MemberSession session;
    private final ActionSettings settings;
    private final LeaderUpkeep leader;
    private final ReplicaPath replica;
    private final RoleChange roles;
    private final OperatorActions operator;
    private final Bootstrap bootstrap;
    private boolean wonLeader;

    /** @param backrest pgBackRest for this member when pgha.yml has a backup section: the archive settings and the repository replicas may come from */
    Actions(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Callbacks callbacks, Handover handover, Runnable disarmFence,
            Consumer<String> announceStopped, Optional<Backrest> backrest) {
        this.session = session;
        this.settings = new ActionSettings(backrest.map(b -> b.conf().archiveParameters()).orElse(Map.of()));
        this.leader = new LeaderUpkeep(config, dcs, pg, settings);
        this.replica = new ReplicaPath(config, pg, callbacks, settings, backrest);
        this.roles = new RoleChange(config, dcs, session, pg, callbacks, settings, replica, handover, disarmFence, announceStopped);
        this.operator = new OperatorActions(session, pg, callbacks, settings, replica, disarmFence);
        this.bootstrap = new Bootstrap(config, dcs, session, pg, callbacks, settings, backrest);
    }

    void configure(DynamicConfig d, Timing t) {
        settings.set(d, t);
    }

    /** The state this member reports besides its role: a rewind that failed, a clone under way. */
    String memberState() {
        return replica.memberState();
    }

    /** When the next cycle should come sooner than loop_wait: a synchronous standby change is under way. */
    OptionalLong syncFollowUpAt() {
        return leader.followUpAt();
    }

    /** Rewrites postgresql.conf with the current parameters and reloads the running server. */
    String reloadParameters(boolean primary) {
        return operator.reloadParameters(primary);
    }

    void publishLeaderStatus(PgSnapshot s) {
        leader.publishLeaderStatus(s);
    }

    ActionOutcome carryOut(Decision d, Observation o, PgSnapshot seen) {
        wonLeader = false;
        leader.cycleStarts(d instanceof Decision.KeepLeading || d instanceof Decision.LeadStandby);
        Optional<LeaseGoneException> leaseGone = Optional.empty();
        String said;
        try {
            said = dispatch(d, o, seen);
        } catch (LeaseGoneException e) {
            leaseGone = Optional.of(e);
            said = "not done, the lease is gone: " + e.getMessage();
        } catch (DcsException e) {
            said = "not done, DCS failed: " + e.getMessage();
        } catch (SQLException e) {
            said = "not done, PostgreSQL failed: " + e.getMessage().lines().findFirst().orElse("");
        } catch (RuntimeException e) {
            LOG.warn("{} failed", d.action(), e);
            said = "failed: " + e.getMessage();
        }
        return new ActionOutcome(said, wonLeader, leaseGone, leader.failsafeKeyWritten());
    }

    private String dispatch(Decision d, Observation o, PgSnapshot seen) throws SQLException {
        Cluster cluster = o.cluster().orElse(null);
        if (d instanceof Decision.KeepLeading) {
            if (!leaseOutlastsMargin()) {
                // Decided on a lease that has run out since (frozen between deciding and acting): the
                // leader's writes (sync and failsafe keys, history) would overwrite a new leader's.
                return "not done: the lease is within its safety margin by now; deciding again next cycle";
            }
            return leader.keepLeading(cluster, o, seen);
        }
        if (d instanceof Decision.AcquireLeader) {
            if (!session.acquireLeader()) {
                if (o.pg() instanceof PgState.Running r && r.isPrimary() && !settings.dynamic().pause()) {
                    // Taking the key back failed: someone else holds it, and this primary must not write on.
                    return "lost the race: another member took the key first; "
                            + roles.demote(new Decision.Demote(Decision.DemoteMode.NOLOCK, "lost the race"), cluster);
                }
                return "lost the race: another member took the key first";
            }
            wonLeader = true;
            if (settings.dynamic().isStandbyCluster()) {
                // A standby cluster's leader never writes: it replicates from the remote primary instead.
                return "acquired the leader key as standby leader; " + orNothing(replica.followRemote(o)) + roles.dropFailoverKey(cluster);
            }
            String promoted = o.pg() instanceof PgState.Running r && !r.isPrimary() ? "; " + roles.promote(cluster, r) : "";
            return "acquired the leader key" + promoted + roles.dropFailoverKey(cluster);
        }
        if (d instanceof Decision.LeadStandby) {
            if (!leaseOutlastsMargin()) {
                return "not done: the lease is within its safety margin by now; deciding again next cycle";
            }
            String upkeep = leader.keepLeadingStandby(cluster, o);
            String followed = replica.followRemote(o);
            return String.join(", ", java.util.stream.Stream.of(upkeep, followed).filter(x -> !x.isEmpty()).toList());
        }
        if (d instanceof Decision.StartStandbyLeader) {
            return replica.startStandbyLeader(o);
        }
        if (d instanceof Decision.TakeOverLeader t) {
            if (!session.takeOverLeader(t.version())) {
                return "not done: the leader key changed or expired since it was read";
            }
            wonLeader = true;
            return "the leader key is bound to my lease " + Long.toHexString(session.lease().id()) + "; PostgreSQL kept running as primary";
        }
        if (d instanceof Decision.HandOver h) {
            return roles.handOver(cluster, h.candidate(), o.nowNanos());
        }
        if (d instanceof Decision.DropFailoverRequest) {
            return roles.dropFailoverKey(cluster).isEmpty() ? "the failover key was already gone" : "removed the failover key";
        }
        if (d instanceof Decision.Carry c) {
            return operator.carry(c.request(), o, cluster);
        }
        if ((d instanceof Decision.Promote || d instanceof Decision.RestartPrimary) && !leaseOutlastsMargin()) {
            // Decided on a lease that has run out since (the process was frozen or slow between the
            // decision and now): making PostgreSQL writable now could overlap a new leader.
            return "not done: the lease is within its safety margin by now; deciding again next cycle";
        }
        if (d instanceof Decision.Promote) {
            return roles.promote(cluster, (PgState.Running) o.pg());
        }
        if (d instanceof Decision.Demote dm) {
            return roles.demote(dm, cluster);
        }
        if (d instanceof Decision.ReleaseLeader) {
            return roles.release(o);
        }
        if (d instanceof Decision.RestartPrimary) {
            return roles.restartPrimary();
        }
        if (d instanceof Decision.Follow f) {
            return replica.follow(cluster, f.leader(), o, seen);
        }
        if (d instanceof Decision.StartReplica s) {
            return replica.startReplica(cluster, s, o);
        }
        if (d instanceof Decision.Clone c) {
            return replica.cloneFrom(cluster, c.from());
        }
        if (d instanceof Decision.RaceInitialize) {
            Bootstrap.Result r = bootstrap.run();
            wonLeader = r.tookLeader();
            return r.said();
        }
        return "";
    }

    private static String orNothing(String said) {
        return said.isEmpty() ? "already replicating from the remote primary" : said;
    }

    private boolean leaseOutlastsMargin() {
        return session.lease().deadlineNanos() - settings.timing().safetyMargin().toNanos() > MonotonicClock.SYSTEM.nanos();
    }
}
