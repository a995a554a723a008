package io.pgha.ha;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.dcs.model.Leader;
import io.pgha.dcs.model.Lsn;
import io.pgha.dcs.model.SyncState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
            return reinitializeInstead(o, cluster).orElse(identity.get());
        }
        if (o.pg() instanceof PgState.Absent) {
            return noDataDirectory(cluster);
        }
        if (o.holdsLeaderKey()) {
            return asLeader(o);
        }
        Optional<Leader> leader = cluster.leader();
        if (leader.isPresent() && leader.get().name().equals(o.me())) {
            return keyOfAnEarlierLease(o, leader.get());
        }
        if (leader.isPresent()) {
            return underLeader(o, leader.get().name());
        }
        return leaderless(o, cluster);
    }

    /**
     * Our name under a lease that is not ours now: the key of an earlier run of this daemon (killed
     * and restarted, or a session granted anew) whose lease still lives. As long as it exists nobody
     * else can have led, so a PostgreSQL still running as primary keeps leading under our lease
     * (Patroni does the same), rather than costing a demotion and a new election. Anything else
     * waits for the key to go with its lease: it is no right to start or promote PostgreSQL.
     */
    private Decision keyOfAnEarlierLease(Observation o, Leader leader) {
        String whose = "the leader key names me but is bound to lease " + Long.toHexString(leader.lease())
                + " of an earlier run, not my lease " + Long.toHexString(o.lease().id());
        if (o.pg() instanceof PgState.Running r && r.isPrimary()) {
            if (rules.cannotLead().isPresent() && !rules.paused()) {
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, whose + ", and I may not lead: " + rules.cannotLead().get());
            }
            return new Decision.TakeOverLeader(leader.version(), whose + "; PostgreSQL still runs as primary: binding the key to my lease");
        }
        return new Decision.Wait(whose + "; waiting for it to expire");
    }

    /**
     * Safety first: without the DCS only our lease deadline — or, in failsafe mode, the members'
     * acknowledgements — says whether we may still write.
     */
    private Decision dcsUnreachable(Observation o) {
        if (o.pg() instanceof PgState.Running r && r.isPrimary()) {
            if (rules.paused()) {
                // Patroni's maintenance mode covers DCS maintenance: nobody promotes while paused,
                // so keeping this primary cannot make a second one.
                return new Decision.HoldOn("paused; DCS unreachable, and I keep running as primary without fencing");
            }
            Map<String, String> listed = o.failsafeMembers();
            if (rules.failsafeMode() && listed.containsKey(o.me())) {
                return failsafeWithoutDcs(o, listed);
            }
            if (!o.keyUnderLeaseAtLastRead()) {
                return new Decision.Demote(Decision.DemoteMode.OFFLINE,
                        "DCS unreachable, and my lease did not carry the leader key when I last read it: no right to write");
            }
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

    /**
     * Failsafe mode: every other member in the {@code failsafe} key must acknowledge me as leader
     * ({@code POST /failsafe}). An acknowledging member does not race until ttl after it received
     * the request, which is after the round started, so all acknowledgements together let me write
     * until the round's start + ttl (minus the safety margin, where the fence stands). If one is
     * missing, only what I already had — lease or an earlier grant — is left.
     */
    private Decision failsafeWithoutDcs(Observation o, Map<String, String> listed) {
        Map<String, String> others = new TreeMap<>(listed);
        others.remove(o.me());
        long margin = rules.safetyMargin().toNanos();
        if (others.isEmpty()) {
            // Nobody else is allowed to race while the failsafe key lists only me: nobody can take over.
            return new Decision.HoldOn("DCS unreachable; failsafe mode, and I am the only member in the failsafe key",
                    o.nowNanos() + rules.ttl().toNanos());
        }
        Optional<FailsafeReport> report = o.failsafe().report();
        if (report.isEmpty()) {
            return new Decision.CheckFailsafe(others, "DCS unreachable; failsafe mode: asking " + String.join(", ", others.keySet())
                    + " to acknowledge me as leader");
        }
        List<String> missing = new ArrayList<>();
        for (String member : others.keySet()) {
            FailsafeAnswer a = report.get().answers().get(member);
            if (!(a instanceof FailsafeAnswer.Acknowledged)) {
                missing.add(member + " (" + (a instanceof FailsafeAnswer.NotAcknowledged n ? n.reason() : "not asked") + ")");
            }
        }
        long granted = report.get().startedNanos() + rules.ttl().toNanos();
        if (missing.isEmpty() && granted - margin > o.nowNanos()) {
            return new Decision.HoldOn("DCS unreachable; failsafe mode: all " + others.size() + " other member(s) in the failsafe key ("
                    + String.join(", ", others.keySet()) + ") acknowledged me as leader; fencing " + seconds(granted - margin - o.nowNanos())
                    + " from now unless they do again", granted);
        }
        String why = missing.isEmpty() ? "the acknowledgements came too late to use (" + seconds(o.nowNanos() - report.get().startedNanos())
                + " for the round)" : "not acknowledged by " + String.join(", ", missing);
        long right = Math.max(o.lease().deadlineNanos(), o.failsafe().grantedUntilNanos());
        long spare = right - margin - o.nowNanos();
        if (spare > 0) {
            return new Decision.HoldOn("DCS unreachable; failsafe " + why + "; still allowed to write for " + seconds(spare)
                    + " by the " + (right == o.lease().deadlineNanos() ? "lease" : "members' earlier acknowledgements"));
        }
        return new Decision.Demote(Decision.DemoteMode.OFFLINE, "DCS unreachable and failsafe " + why
                + "; nothing else lets me write (safety margin " + seconds(margin) + ")");
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
                return new Decision.Wait("cluster not initialized and I may not lead (" + rules.whyNotLeader().orElseThrow()
                        + "), waiting for a bootstrap");
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
        Cluster cluster = o.cluster().orElseThrow();
        if (pg instanceof PgState.Running r) {
            if (rules.cannotLead().isPresent() && !rules.paused()) {
                // Patroni: a watchdog that cannot be activated ⇒ give up the key rather than lead unguarded.
                return new Decision.ReleaseLeader("I hold the leader key but may not lead: " + rules.cannotLead().get());
            }
            if (r.isPrimary() && rules.standbyCluster() && !rules.paused()) {
                return new Decision.Refuse("the cluster is a standby cluster (standby_cluster is set) but PostgreSQL runs here as"
                        + " primary: pgha does not turn a writable primary into a standby leader; remove standby_cluster, or stop"
                        + " this member and clone it");
            }
            if (r.isPrimary()) {
                Optional<Decision> manual = switchoverAsLeader(o, cluster);
                if (manual.isPresent()) {
                    return manual.get();
                }
                return operatorRequest(o, "restart", "reload")
                        .orElseGet(() -> new Decision.KeepLeading("I am " + o.me() + ", the leader with the lock"));
            }
            if (rules.standbyCluster()) {
                Optional<Decision> manual = switchoverAsLeader(o, cluster);
                if (manual.isPresent()) {
                    return manual.get(); // a hand-over of the standby leader key: nobody promotes
                }
                return operatorRequest(o, "restart", "reload").orElseGet(() -> new Decision.LeadStandby("I am " + o.me()
                        + ", the standby leader, replicating from the remote primary"));
            }
            if (rules.paused()) {
                return new Decision.ReleaseLeader("paused, and I hold the leader key but run as a replica: releasing it, not promoting");
            }
            return new Decision.Promote("I hold the leader key and run as a replica");
        }
        if (pg instanceof PgState.Starting st) {
            long starting = o.nowNanos() - st.sinceNanos();
            if (rules.paused()) {
                return new Decision.Wait("paused; PostgreSQL is starting (" + seconds(starting) + ")");
            }
            if (rules.primaryStartTimeout().isZero() || starting < rules.primaryStartTimeout().toNanos()) {
                return new Decision.Wait("PostgreSQL is starting (" + seconds(starting) + "); keeping the leader key meanwhile");
            }
            return new Decision.ReleaseLeader("PostgreSQL has been starting for " + seconds(starting)
                    + ", longer than primary_start_timeout; handing the leader key over");
        }
        PgState.Stopped stopped = (PgState.Stopped) pg;
        if (rules.paused()) {
            return new Decision.ReleaseLeader("paused, and PostgreSQL is not running: releasing the leader key, not starting it");
        }
        if (rules.standbyCluster()) {
            // A standby never writes, so a restart in place risks nothing: no timeline of its own to guard.
            return new Decision.StartStandbyLeader("I hold the leader key of a standby cluster and PostgreSQL is stopped;"
                    + " starting it as a replica of the remote primary");
        }
        if (rules.primaryStartTimeout().isZero()) {
            return new Decision.ReleaseLeader("PostgreSQL is not running and primary_start_timeout is 0: failing over at once");
        }
        long down = o.nowNanos() - stopped.sinceNanos();
        if (down < rules.primaryStartTimeout().toNanos() && !stopped.wasPrimary()) {
            // Stopped as a standby (fenced mid-promotion, before the timeline switch): started as a
            // primary it would end plain crash recovery and write on the timeline the previous leader
            // wrote, which no pg_rewind could tell apart later (the chaos suite saw two nodes
            // acknowledge writes on one timeline). Read-only first; the next cycle promotes it.
            return new Decision.StartReplica("", false, "I hold the leader key and PostgreSQL stopped as a standby; starting it"
                    + " read-only, to be promoted onto a timeline of its own");
        }
        if (down < rules.primaryStartTimeout().toNanos()) {
            return new Decision.RestartPrimary("PostgreSQL is not running; restarting it in place (down "
                    + seconds(down) + " of primary_start_timeout " + seconds(rules.primaryStartTimeout().toNanos()) + ")");
        }
        return new Decision.ReleaseLeader("PostgreSQL did not come back within primary_start_timeout "
                + seconds(rules.primaryStartTimeout().toNanos()) + "; handing the leader key over");
    }

    private Decision underLeader(Observation o, String leader) {
        PgState pg = o.pg();
        Optional<Decision> reinit = reinitializeInstead(o, o.cluster().orElseThrow());
        if (reinit.isPresent()) {
            return reinit.get();
        }
        if (pg instanceof PgState.Running r) {
            if (r.isPrimary()) {
                if (rules.paused()) {
                    return new Decision.Wait("paused; I run as primary while " + leader + " holds the leader key, and I am not demoting");
                }
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, leader + " holds the leader key while I run as primary");
            }
            return operatorRequest(o, "restart", "reload")
                    .orElseGet(() -> new Decision.Follow(leader, "following leader " + leader));
        }
        if (pg instanceof PgState.Starting) {
            return new Decision.Follow(leader, "PostgreSQL is starting; following " + leader + " once it answers");
        }
        PgState.Stopped s = (PgState.Stopped) pg;
        if (rules.paused()) {
            return new Decision.Wait("paused; PostgreSQL is stopped and I am not starting it");
        }
        return new Decision.StartReplica(leader, s.wasPrimary(), "PostgreSQL is stopped; starting it as a replica of " + leader
                + (s.wasPrimary() ? " (was primary: timeline divergence is checked first)" : ""));
    }

    private Decision leaderless(Observation o, Cluster cluster) {
        PgState pg = o.pg();
        if (!rules.mayPromote()) {
            String why = rules.whyNotLeader().orElseThrow();
            if (pg instanceof PgState.Running r && r.isPrimary() && !rules.paused()) {
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, "no leader key, and I run as primary but may not lead (" + why + ")");
            }
            return new Decision.Wait("no leader, and I may not be promoted (" + why + ")");
        }
        if (pg instanceof PgState.Starting) {
            return new Decision.Wait("no leader and PostgreSQL is still starting");
        }
        if (pg instanceof PgState.Stopped s) {
            if (rules.paused()) {
                return new Decision.Wait("paused; no leader and PostgreSQL is stopped, and I am not starting it");
            }
            return new Decision.StartReplica("", s.wasPrimary(), "no leader and PostgreSQL is stopped; starting it read-only before racing");
        }
        PgState.Running r = (PgState.Running) pg;
        long clusterTimeline = cluster.timelineFromHistory();
        if (r.isPrimary()) {
            if (clusterTimeline > 0 && r.timeline() < clusterTimeline) {
                if (rules.paused()) {
                    return new Decision.Wait("paused; I run as primary on timeline " + r.timeline() + " behind the cluster's "
                            + clusterTimeline + ", and I am not demoting");
                }
                return new Decision.Demote(Decision.DemoteMode.NOLOCK, "I run as primary on timeline " + r.timeline()
                        + " but the cluster has moved on to " + clusterTimeline);
            }
            return new Decision.AcquireLeader("no leader and I still run as primary; taking the key back");
        }
        OptionalLong restored = cluster.restoredTimeline();
        if (restored.isPresent() && r.timeline() < restored.getAsLong()) {
            // Such a member may well be "ahead" by WAL position: the rows the restore took away.
            return new Decision.Wait("the cluster was restored onto timeline " + restored.getAsLong() + "; my data is from before it (timeline "
                    + r.timeline() + "): reinitialize this member");
        }
        Optional<Decision> promised = failsafePromise(o);
        if (promised.isPresent()) {
            return promised.get();
        }
        FailoverRequest manual = cluster.failoverRequest();
        if (manual.candidate().filter(o.me()::equals).isPresent()) {
            String kind = manual.leader().isPresent() ? "switchover" : "failover";
            if (manual.leader().isPresent() && cluster.optime() > r.walPosition()) {
                // The old leader publishes its shutdown checkpoint as the optime before it lets go.
                return new Decision.Wait("switchover to me, but I have " + Lsn.format(r.walPosition()) + " of the old leader's "
                        + Lsn.format(cluster.optime()));
            }
            return new Decision.AcquireLeader(kind + " to me requested by an operator");
        }
        if (rules.paused()) {
            return new Decision.Wait("paused; no leader, and no automatic promotion while paused");
        }
        Map<String, String> failsafeMembers = o.failsafeMembers();
        if (rules.failsafeMode() && !failsafeMembers.isEmpty() && !failsafeMembers.containsKey(o.me())) {
            // Patroni's rule: a primary running on failsafe asks only the members this key lists.
            return new Decision.Wait("no leader, and in failsafe mode only the members in the failsafe key ("
                    + String.join(", ", failsafeMembers.keySet()) + ") may race; I am not one of them");
        }
        SyncState sync = cluster.syncState();
        if (rules.synchronousMode() && sync.isActive() && !sync.isSyncStandby(o.me()) && !sync.leader().get().equals(o.me())) {
            // Only a member the sync key names is known to have every acknowledged commit.
            return new Decision.Wait("no leader, and in synchronous mode only " + (sync.syncStandbys().isEmpty() ? "the former leader "
                    + sync.leader().get() : String.join(", ", sync.syncStandbys())) + " may be promoted");
        }
        long lag = cluster.optime() - r.walPosition();
        if (cluster.optime() > 0 && lag > rules.maximumLagOnFailover()) {
            return new Decision.Wait("no leader, but my WAL position " + Lsn.format(r.walPosition()) + " is " + lag
                    + " bytes behind the last known optime, more than maximum_lag_on_failover " + rules.maximumLagOnFailover());
        }
        Set<String> known = new TreeSet<>(cluster.members().keySet());
        if (rules.failsafeMode()) {
            known.addAll(failsafeMembers.keySet()); // their member keys may have expired while the DCS was away
        }
        List<String> peers = known.stream().filter(m -> !m.equals(o.me())).toList();
        Optional<PeerReport> report = o.peers().filter(p -> p.clusterRevision() == cluster.revision());
        if (peers.isEmpty() && votesNeeded(cluster, o.me()) > 0) {
            return new Decision.Wait("no leader, and a promotion needs " + votesNeeded(cluster, o.me()) + " of the other voters "
                    + sync.syncStandbys() + " to answer, but no other member is registered");
        }
        if (!peers.isEmpty() && report.isEmpty()) {
            return new Decision.CheckPeers(peers, "leader key is gone; asking " + peers.size() + " peer(s) before racing");
        }
        if (manual.candidate().isPresent() && report.isPresent()) {
            String named = manual.candidate().get();
            PeerStatus answer = report.get().answers().get(named);
            if (answer instanceof PeerStatus.Answered a && a.promotable()) {
                return new Decision.Wait("no leader; waiting for " + named + ", the candidate an operator named");
            }
            // The named candidate is gone or cannot be promoted: the cluster must not stay leaderless for it.
        }
        return report.map(rep -> judgeRivals(o, r, cluster, rep))
                .orElseGet(() -> new Decision.AcquireLeader("leader key is gone and I am the only member"));
    }

    /**
     * A promise this replica gave in failsafe mode: it acknowledged a primary that could not reach
     * the DCS, and must not race until ttl after that, or two primaries could write. A restarted
     * daemon has forgotten what it acknowledged, so it assumes it did until ttl after its start.
     */
    private Optional<Decision> failsafePromise(Observation o) {
        long ttl = rules.ttl().toNanos();
        Optional<Failsafe.Acknowledgement> ack = o.failsafe().acknowledged();
        if (ack.isPresent() && o.nowNanos() - ack.get().receivedNanos() < ttl) {
            long ago = o.nowNanos() - ack.get().receivedNanos();
            return Optional.of(new Decision.Wait("failsafe: " + ack.get().leader() + " was acknowledged as leader " + seconds(ago)
                    + " ago; not racing until it expires in " + seconds(ttl - ago)));
        }
        OptionalLong started = o.failsafe().daemonStartedNanos();
        if (rules.failsafeMode() && started.isPresent() && o.nowNanos() - started.getAsLong() < ttl) {
            long ago = o.nowNanos() - started.getAsLong();
            return Optional.of(new Decision.Wait("failsafe: this daemon started " + seconds(ago) + " ago and may have acknowledged"
                    + " a leader before; not racing for another " + seconds(ttl - ago)));
        }
        return Optional.empty();
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
            SyncState sync = cluster.syncState();
            if (rules.synchronousMode() && sync.isActive() && !sync.isSyncStandby(peer) && !sync.leader().get().equals(peer)) {
                continue; // not a rival: it may not be promoted, however far it has received
            }
            Map<String, String> failsafe = o.failsafeMembers();
            if (rules.failsafeMode() && !failsafe.isEmpty() && !failsafe.containsKey(peer)) {
                // Not a rival either: it does not race, so waiting for it would leave the cluster without a
                // leader (found by the simulation: the key had shrunk to the one member behind the others).
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
        int needed = votesNeeded(cluster, o.me());
        if (needed > 0) {
            // Quorum mode: some member that acknowledged each commit must be among those I heard from. A voter
            // whose PostgreSQL is not running reports no position (0): it may hold a commit I lack, so it is
            // no vote (found by the simulation: a voter restarting after a crash was counted as behind).
            List<String> votes = report.answers().entrySet().stream()
                    .filter(e -> cluster.syncState().isSyncStandby(e.getKey()))
                    .filter(e -> e.getValue() instanceof PeerStatus.Answered a && a.walPosition() > 0 && a.walPosition() <= mine.walPosition())
                    .map(Map.Entry::getKey).toList();
            if (votes.size() < needed) {
                return new Decision.Wait("no leader, and a promotion needs " + needed + " other voter(s) of " + cluster.syncState().syncStandbys()
                        + " at or behind me; " + (votes.isEmpty() ? "none" : String.join(", ", votes)) + " answered so");
            }
        }
        int members = cluster.members().size();
        return new Decision.AcquireLeader("leader key is gone and I am the healthiest of " + Math.max(members, answered + 1)
                + " (" + answered + " peer(s) answered)");
    }

    /**
     * How many other voters must confirm a promotion of {@code me} in quorum mode: the sync key's
     * {@code quorum}; none for the leader the key names (it made the commits) or when the key is inactive.
     */
    private int votesNeeded(Cluster cluster, String me) {
        SyncState sync = cluster.syncState();
        if (!rules.synchronousMode() || !sync.isActive() || sync.leader().get().equals(me)) {
            return 0;
        }
        return sync.quorum().map(Long::intValue).orElse(0);
    }

    /** The leader's side of the {@code failover} key: hand over, wait for the schedule, or drop the key. */
    private Optional<Decision> switchoverAsLeader(Observation o, Cluster cluster) {
        FailoverRequest f = cluster.failoverRequest();
        if (f.isEmpty()) {
            return Optional.empty();
        }
        if (f.leader().isPresent() && !f.leader().get().equals(o.me())) {
            return Optional.of(new Decision.DropFailoverRequest("the switchover request names " + f.leader().get()
                    + " as the leader, but I am"));
        }
        if (f.candidate().filter(o.me()::equals).isPresent()) {
            return Optional.of(new Decision.DropFailoverRequest("the request names me as candidate, and I already lead"));
        }
        String when = "";
        if (f.scheduledAt().isPresent()) {
            Instant at = f.scheduledAt().get().toInstant();
            if (at.isAfter(o.wallNow())) {
                return Optional.of(new Decision.KeepLeading("I am " + o.me() + ", the leader with the lock; switchover to "
                        + f.candidate().orElse("the best replica") + " scheduled at " + f.scheduledAt().get()));
            }
            Duration late = Duration.between(at, o.wallNow());
            Duration stale = rules.loopWait().multipliedBy(3).dividedBy(2).plusSeconds(1);
            if (late.compareTo(stale) > 0) {
                return Optional.of(new Decision.DropFailoverRequest("the switchover scheduled at " + f.scheduledAt().get()
                        + " is " + seconds(late.toNanos()) + " overdue; not acting on it this late"));
            }
            when = " (scheduled at " + f.scheduledAt().get() + ")";
        }
        if (f.candidate().isEmpty() && rules.paused()) {
            return Optional.of(new Decision.DropFailoverRequest("paused; a switchover needs a named candidate"));
        }
        Optional<String> candidate = f.candidate().isPresent() ? f.candidate() : Candidates.best(cluster, o.me());
        if (candidate.isEmpty()) {
            return Optional.of(new Decision.DropFailoverRequest("switchover requested, but no replica is eligible"));
        }
        Optional<String> unfit = Candidates.unfit(cluster, candidate.get());
        if (unfit.isPresent()) {
            return Optional.of(new Decision.DropFailoverRequest("switchover to " + candidate.get() + " refused: " + unfit.get()));
        }
        return Optional.of(new Decision.HandOver(candidate.get(), "switchover to " + candidate.get() + " requested" + when));
    }

    /** An operator request this steady state allows, carried out instead of the routine decision. */
    private static Optional<Decision> operatorRequest(Observation o, String... allowed) {
        return o.request().filter(r -> Arrays.asList(allowed).contains(r.what()))
                .map(r -> new Decision.Carry(r, "requested by an operator"));
    }

    /** Reinitialize is allowed whenever someone else leads: it is how a broken or foreign replica rejoins. */
    private static Optional<Decision> reinitializeInstead(Observation o, Cluster cluster) {
        if (!(o.request().orElse(null) instanceof OperatorRequest.Reinitialize r)) {
            return Optional.empty();
        }
        return cluster.leaderName().filter(l -> !l.equals(o.me()))
                .map(l -> new Decision.Carry(r, "requested by an operator; cloning again from leader " + l));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** For tests and the simulation: the rules this core applies. */
    public HaRules rules() {
        return rules;
    }
}
