package io.pgha.ha;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Leader;
import io.pgha.dcs.model.Lsn;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HA rules as a pure function of one {@link Observation}: no I/O, no clock, no state. Every
 * rule is a method returning a {@link Decision} whose reason says why, so a cycle's log line reads
 * like the rule that fired. The effects layer carries decisions out; the simulation replays them.
 */
public final class HaCore {
    private final HaRules rules;

    public HaCore(HaRules rules) {
        this.rules = rules;
    }

    public Decision decide(Observation o) {
        if (o.cluster().isEmpty()) {
            return dcsUnreachable(o);
        }
        Cluster cluster = o.cluster().get();
        Optional<Decision> identity = foreignDataDirectory(cluster, o.pg());
        if (identity.isPresent()) {
            return identity.get();
        }
        if (o.pg() instanceof PgState.Absent) {
            return noDataDirectory(cluster);
        }
        if (o.holdsLeaderKey()) {
            return asLeader(o);
        }
        Optional<Leader> leader = cluster.leader();
        if (leader.isPresent() && leader.get().name().equals(o.me())) {
            // Our name under a lease that is not ours now: a key from a lease we lost. It is not
            // a right to write; it vanishes with that lease.
            return o.pg() instanceof PgState.Running r && r.isPrimary()
                    ? new Decision.Demote(Decision.DemoteMode.NOLOCK, "the leader key names me but is bound to a lease I no longer hold")
                    : new Decision.Wait("the leader key names me but is bound to a lease I no longer hold; waiting for it to expire");
        }
        if (leader.isPresent()) {
            return underLeader(o, leader.get().name());
        }
        return leaderless(o, cluster);
    }

    /** Safety first: without the DCS only our lease deadline says whether we may still write. */
    private Decision dcsUnreachable(Observation o) {
        if (o.pg() instanceof PgState.Running r && r.isPrimary()) {
            long spare = o.leaseLeftNanos() - rules.safetyMargin().toNanos();
            if (spare > 0) {
                return new Decision.HoldOn("DCS unreachable; lease valid for " + seconds(o.leaseLeftNanos())
                        + ", fencing " + seconds(rules.safetyMargin().toNanos()) + " before its deadline");
            }
            return new Decision.Demote(Decision.DemoteMode.OFFLINE, "DCS unreachable and the lease has "
                    + seconds(Math.max(0, o.leaseLeftNanos())) + " left, within the safety margin of "
                    + seconds(rules.safetyMargin().toNanos()));
        }
        return new Decision.Wait("DCS unreachable; nothing to change as a non-primary");
    }

    private static Optional<Decision> foreignDataDirectory(Cluster cluster, PgState pg) {
        long local = pg instanceof PgState.Stopped s ? s.systemId()
                : pg instanceof PgState.Running r ? r.systemId()
                : pg instanceof PgState.Starting st ? st.systemId() : 0;
        if (local == 0 || cluster.initialize().isEmpty() || cluster.initialize().get().value().isBlank()) {
            return Optional.empty();
        }
        String expected = cluster.initialize().get().value().trim();
        if (!expected.equals(Long.toUnsignedString(local))) {
            return Optional.of(new Decision.Refuse("data directory belongs to system " + Long.toUnsignedString(local)
                    + " but the cluster was initialized as " + expected + "; it is left untouched (reinit it to join)"));
        }
        return Optional.empty();
    }

    private Decision noDataDirectory(Cluster cluster) {
        if (cluster.initialize().isEmpty()) {
            if (!rules.mayPromote()) {
                return new Decision.Wait("cluster not initialized and I may not lead (nofailover), waiting for a bootstrap");
            }
            return new Decision.RaceInitialize("cluster not initialized; racing to bootstrap it");
        }
        return cluster.leaderName()
                .<Decision>map(l -> new Decision.Clone(l, "no data directory; cloning from leader " + l))
                .orElseGet(() -> new Decision.Wait("no data directory and no leader to clone from"));
    }

    private Decision asLeader(Observation o) {
        if (o.leaseLeftNanos() <= 0) {
            // The snapshot still names us, but our clock says the lease is gone: trust the clock.
            return new Decision.Demote(Decision.DemoteMode.NOLOCK, "my lease ran out " + seconds(-o.leaseLeftNanos()) + " ago");
        }
        PgState pg = o.pg();
        if (pg instanceof PgState.Running r) {
            return r.isPrimary()
                    ? new Decision.KeepLeading("I am " + o.me() + ", the leader with the lock")
                    : new Decision.Promote("I hold the leader key and run as a replica");
        }
        if (pg instanceof PgState.Starting st) {
            long starting = o.nowNanos() - st.sinceNanos();
            if (rules.primaryStartTimeout().isZero() || starting < rules.primaryStartTimeout().toNanos()) {
                return new Decision.Wait("PostgreSQL is starting (" + seconds(starting) + "); keeping the leader key meanwhile");
            }
            return new Decision.ReleaseLeader("PostgreSQL has been starting for " + seconds(starting)
                    + ", longer than primary_start_timeout; handing the leader key over");
        }
        PgState.Stopped stopped = (PgState.Stopped) pg;
        if (rules.primaryStartTimeout().isZero()) {
            return new Decision.ReleaseLeader("PostgreSQL is not running and primary_start_timeout is 0: failing over at once");
        }
        long down = o.nowNanos() - stopped.sinceNanos();
        if (down < rules.primaryStartTimeout().toNanos()) {
            return new Decision.RestartPrimary("PostgreSQL is not running; restarting it in place (down "
                    + seconds(down) + " of primary_start_timeout " + seconds(rules.primaryStartTimeout().toNanos()) + ")");
        }
        return new Decision.ReleaseLeader("PostgreSQL did not come back within primary_start_timeout "
                + seconds(rules.primaryStartTimeout().toNanos()) + "; handing the leader key over");
    }

    private static Decision underLeader(Observation o, String leader) {
        PgState pg = o.pg();
        if (pg instanceof PgState.Running r) {
            if (r.isPrimary()) {
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, leader + " holds the leader key while I run as primary");
            }
            return new Decision.Follow(leader, "following leader " + leader);
        }
        if (pg instanceof PgState.Starting) {
            return new Decision.Wait("PostgreSQL is starting; following " + leader + " once it answers");
        }
        PgState.Stopped s = (PgState.Stopped) pg;
        return new Decision.StartReplica(leader, s.wasPrimary(), "PostgreSQL is stopped; starting it as a replica of " + leader
                + (s.wasPrimary() ? " (was primary: timeline divergence is checked first)" : ""));
    }

    private Decision leaderless(Observation o, Cluster cluster) {
        PgState pg = o.pg();
        if (!rules.mayPromote()) {
            if (pg instanceof PgState.Running r && r.isPrimary()) {
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, "no leader key, and I run as primary but may not lead (nofailover)");
            }
            return new Decision.Wait("no leader, and I may not be promoted (nofailover or failover_priority 0)");
        }
        if (pg instanceof PgState.Starting) {
            return new Decision.Wait("no leader and PostgreSQL is still starting");
        }
        if (pg instanceof PgState.Stopped s) {
            return new Decision.StartReplica("", s.wasPrimary(), "no leader and PostgreSQL is stopped; starting it read-only before racing");
        }
        PgState.Running r = (PgState.Running) pg;
        long clusterTimeline = cluster.timelineFromHistory();
        if (r.isPrimary()) {
            if (clusterTimeline > 0 && r.timeline() < clusterTimeline) {
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, "I run as primary on timeline " + r.timeline()
                        + " but the cluster has moved on to " + clusterTimeline);
            }
            return new Decision.AcquireLeader("no leader and I still run as primary; taking the key back");
        }
        long lag = cluster.optime() - r.walPosition();
        if (cluster.optime() > 0 && lag > rules.maximumLagOnFailover()) {
            return new Decision.Wait("no leader, but my WAL position " + Lsn.format(r.walPosition()) + " is " + lag
                    + " bytes behind the last known optime, more than maximum_lag_on_failover " + rules.maximumLagOnFailover());
        }
        List<String> peers = cluster.members().keySet().stream().filter(m -> !m.equals(o.me())).toList();
        Optional<PeerReport> report = o.peers().filter(p -> p.clusterRevision() == cluster.revision());
        if (!peers.isEmpty() && report.isEmpty()) {
            return new Decision.CheckPeers(peers, "leader key is gone; asking " + peers.size() + " peer(s) before racing");
        }
        return report.map(rep -> judgeRivals(o, r, cluster, rep))
                .orElseGet(() -> new Decision.AcquireLeader("leader key is gone and I am the only member"));
    }

    private Decision judgeRivals(Observation o, PgState.Running mine, Cluster cluster, PeerReport report) {
        int answered = 0;
        for (Map.Entry<String, PeerStatus> e : report.answers().entrySet()) {
            if (!(e.getValue() instanceof PeerStatus.Answered a)) {
                continue;
            }
            answered++;
            String peer = e.getKey();
            if (a.runsAsPrimary()) {
                return new Decision.Wait("no leader key, but " + peer + " still runs as primary");
            }
            if (!a.promotable()) {
                continue;
            }
            if (a.walPosition() > mine.walPosition()) {
                return new Decision.Wait(peer + " is ahead of me (" + Lsn.format(a.walPosition()) + " > "
                        + Lsn.format(mine.walPosition()) + ")");
            }
            if (a.walPosition() == mine.walPosition() && a.failoverPriority() > rules.failoverPriority()) {
                return new Decision.Wait(peer + " is as far as I am and has a higher failover_priority ("
                        + a.failoverPriority() + " > " + rules.failoverPriority() + ")");
            }
        }
        int members = cluster.members().size();
        return new Decision.AcquireLeader("leader key is gone and I am the healthiest of " + Math.max(members, answered + 1)
                + " (" + answered + " peer(s) answered)");
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** For tests and the simulation: the rules this core applies. */
    public HaRules rules() {
        return rules;
    }
}
