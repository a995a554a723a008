package io.pgha.ha;

import io.pgha.dcs.KeyLayout;
import io.pgha.dcs.Lease;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One row per HA rule: the observation, the decision it must produce, and words its reason must carry. */
class HaCoreTest {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 1000 * S;
    private static final long SYSID = 7268616322854375442L;
    private static final KeyLayout KEYS = new KeyLayout("/service", "demo");
    private static final HaRules RULES = new HaRules(Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576, false, 1);
    private static final Lease MY_LEASE = new Lease(42, Duration.ofSeconds(8), NOW + 6 * S);
    private static final java.time.Instant WALL = java.time.Instant.parse("2026-11-22T12:00:00Z");

    record Row(String name, HaRules rules, Observation observation, Class<? extends Decision> expected, String reasonContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A snapshot built from keys, the way a backend would hand it over. */
    private static final class ClusterBuilder {
        private final List<RawEntry> entries = new ArrayList<>();
        private long revision = 100;

        ClusterBuilder initialized() {
            entries.add(new RawEntry(KEYS.prefix() + "initialize", Long.toUnsignedString(SYSID), 2, 0));
            return this;
        }

        ClusterBuilder leader(String name, long lease) {
            entries.add(new RawEntry(KEYS.leader(), name, 5, lease));
            return this;
        }

        ClusterBuilder members(String... names) {
            for (String n : names) {
                entries.add(new RawEntry(KEYS.member(n), "{\"state\":\"running\",\"role\":\"replica\"}", 6, 1));
            }
            return this;
        }

        /** Replicas streaming from the leader, each with its published WAL position. */
        ClusterBuilder streaming(String name, long xlog, String tags) {
            entries.add(new RawEntry(KEYS.member(name), "{\"state\":\"running\",\"role\":\"replica\",\"replication_state\":\"streaming\","
                    + "\"xlog_location\":" + xlog + ",\"tags\":{" + tags + "}}", 6, 1));
            return this;
        }

        ClusterBuilder sync(String json) {
            entries.add(new RawEntry(KEYS.prefix() + "sync", json, 10, 0));
            return this;
        }

        ClusterBuilder failover(String json) {
            entries.add(new RawEntry(KEYS.prefix() + "failover", json, 9, 0));
            return this;
        }

        ClusterBuilder optime(long optime) {
            entries.add(new RawEntry(KEYS.prefix() + "status", "{\"optime\":" + optime + "}", 7, 0));
            return this;
        }

        ClusterBuilder history(long lastTimeline) {
            entries.add(new RawEntry(KEYS.prefix() + "history", "[[" + lastTimeline + ",100,\"promoted\"]]", 8, 0));
            return this;
        }

        ClusterBuilder initializedAs(String sysid) {
            entries.add(new RawEntry(KEYS.prefix() + "initialize", sysid, 2, 0));
            return this;
        }

        Optional<Cluster> build() {
            return Optional.of(Cluster.fromEntries(KEYS, entries, revision));
        }
    }

    private static ClusterBuilder cluster() {
        return new ClusterBuilder();
    }

    private static PgState primary(long lsn) {
        return new PgState.Running(PgState.Role.PRIMARY, SYSID, 2, lsn, NOW - 100 * S);
    }

    private static PgState replica(long lsn) {
        return new PgState.Running(PgState.Role.REPLICA, SYSID, 2, lsn, NOW - 100 * S);
    }

    private static PgState stoppedFor(long seconds, boolean wasPrimary) {
        return new PgState.Stopped(SYSID, 2, wasPrimary, NOW - seconds * S);
    }

    private static Observation obs(Optional<Cluster> c, PgState pg) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.empty(), Optional.empty());
    }

    private static Observation obs(Optional<Cluster> c, PgState pg, Lease lease) {
        return new Observation("n1", c, pg, lease, NOW, WALL, Optional.empty(), Optional.empty());
    }

    private static Observation withPeers(Optional<Cluster> c, PgState pg, Map<String, PeerStatus> answers) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.of(new PeerReport(c.orElseThrow().revision(), answers)),
                Optional.empty());
    }

    private static Observation asking(Optional<Cluster> c, PgState pg, OperatorRequest request) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.empty(), Optional.of(request));
    }

    private static PeerStatus answered(boolean primary, long lsn, int priority) {
        return new PeerStatus.Answered(primary, lsn, priority <= 0, priority);
    }

    private static Row row(String name, Observation o, Class<? extends Decision> expected, String reason) {
        return new Row(name, RULES, o, expected, reason);
    }

    static Stream<Row> rows() {
        HaRules noFailover = new HaRules(Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576, true, 1);
        HaRules failFast = new HaRules(Duration.ofSeconds(1), Duration.ZERO, 1_048_576, false, 1);
        Lease almostGone = new Lease(42, Duration.ofSeconds(8), NOW + S / 2);
        Lease expired = new Lease(42, Duration.ofSeconds(8), NOW - 2 * S);
        return Stream.of(
                row("DCS down, primary with lease to spare keeps running", obs(Optional.empty(), primary(100)),
                        Decision.HoldOn.class, "lease valid for 6.0 s"),
                row("DCS down, primary inside the safety margin fences", obs(Optional.empty(), primary(100), almostGone),
                        Decision.Demote.class, "within the safety margin of 1.0 s"),
                row("DCS down, replica changes nothing", obs(Optional.empty(), replica(100)),
                        Decision.Wait.class, "non-primary"),
                row("data directory of another cluster is refused", obs(cluster().initializedAs("123456789012").build(), replica(100)),
                        Decision.Refuse.class, "left untouched"),
                row("uninitialized cluster: race to bootstrap", obs(cluster().build(), new PgState.Absent()),
                        Decision.RaceInitialize.class, "racing to bootstrap"),
                new Row("uninitialized cluster, nofailover: wait", noFailover, obs(cluster().build(), new PgState.Absent()),
                        Decision.Wait.class, "nofailover"),
                row("no data directory: clone from the leader", obs(cluster().initialized().leader("n2", 7).build(), new PgState.Absent()),
                        Decision.Clone.class, "cloning from leader n2"),
                row("no data directory, no leader: wait", obs(cluster().initialized().build(), new PgState.Absent()),
                        Decision.Wait.class, "no leader to clone from"),
                row("leader running as primary keeps leading", obs(cluster().initialized().leader("n1", 42).build(), primary(100)),
                        Decision.KeepLeading.class, "the leader with the lock"),
                row("leader running as replica promotes", obs(cluster().initialized().leader("n1", 42).build(), replica(100)),
                        Decision.Promote.class, "hold the leader key"),
                row("leader whose lease ran out on our clock demotes", obs(cluster().initialized().leader("n1", 42).build(), primary(100), expired),
                        Decision.Demote.class, "lease ran out 2.0 s ago"),
                new Row("leader's PostgreSQL down, primary_start_timeout 0: release", failFast,
                        obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(1, true)),
                        Decision.ReleaseLeader.class, "primary_start_timeout is 0"),
                row("leader's PostgreSQL still starting: wait, keep the key", obs(cluster().initialized().leader("n1", 42).build(),
                        new PgState.Starting(SYSID, true, NOW - 2 * S)), Decision.Wait.class, "starting"),
                row("leader's PostgreSQL starting too long: release", obs(cluster().initialized().leader("n1", 42).build(),
                        new PgState.Starting(SYSID, true, NOW - 11 * S)), Decision.ReleaseLeader.class, "primary_start_timeout"),
                row("replica's PostgreSQL starting under a leader: wait, never start twice", obs(cluster().initialized().leader("n2", 7).build(),
                        new PgState.Starting(SYSID, false, NOW - S)), Decision.Wait.class, "starting"),
                row("starting PostgreSQL without a leader: wait", obs(cluster().initialized().members("n2").build(),
                        new PgState.Starting(SYSID, false, NOW - S)), Decision.Wait.class, "starting"),
                row("starting PostgreSQL of another system is refused", obs(cluster().initializedAs("123456789012").build(),
                        new PgState.Starting(SYSID, false, NOW - S)), Decision.Refuse.class, "123456789012"),
                row("leader's PostgreSQL down briefly: restart in place", obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(2, true)),
                        Decision.RestartPrimary.class, "down 2.0 s of primary_start_timeout 10.0 s"),
                row("leader's PostgreSQL down too long: release", obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(11, true)),
                        Decision.ReleaseLeader.class, "did not come back"),
                row("key with my name under an old lease is no right to write", obs(cluster().initialized().leader("n1", 41).build(), primary(100)),
                        Decision.Demote.class, "lease I no longer hold"),
                row("primary under someone else's key demotes", obs(cluster().initialized().leader("n2", 7).build(), primary(100)),
                        Decision.Demote.class, "n2 holds the leader key while I run as primary"),
                row("replica follows the leader", obs(cluster().initialized().leader("n2", 7).build(), replica(100)),
                        Decision.Follow.class, "following leader n2"),
                row("stopped former primary restarts as replica with a divergence check",
                        obs(cluster().initialized().leader("n2", 7).build(), stoppedFor(5, true)),
                        Decision.StartReplica.class, "timeline divergence is checked first"),
                new Row("leaderless primary that may not lead demotes", noFailover,
                        obs(cluster().initialized().members("n1", "n2").build(), primary(100)),
                        Decision.Demote.class, "may not lead"),
                new Row("leaderless, nofailover: wait", noFailover, obs(cluster().initialized().members("n1", "n2").build(), replica(100)),
                        Decision.Wait.class, "may not be promoted"),
                row("leaderless, too far behind the last optime: wait",
                        obs(cluster().initialized().members("n1", "n2").optime(5_000_000).build(), replica(1_000_000)),
                        Decision.Wait.class, "more than maximum_lag_on_failover 1048576"),
                row("leaderless replica asks its peers first", obs(cluster().initialized().members("n1", "n2", "n3").build(), replica(100)),
                        Decision.CheckPeers.class, "asking 2 peer(s)"),
                row("peer answers about an older snapshot are asked again",
                        new Observation("n1", cluster().initialized().members("n1", "n2").build(), replica(100), MY_LEASE, NOW, WALL,
                                Optional.of(new PeerReport(99, Map.of("n2", answered(false, 50, 1)))), Optional.empty()),
                        Decision.CheckPeers.class, "asking 1 peer(s)"),
                row("a peer still running as primary stops the race",
                        withPeers(cluster().initialized().members("n1", "n2").build(), replica(100), Map.of("n2", answered(true, 50, 1))),
                        Decision.Wait.class, "n2 still runs as primary"),
                row("a peer further ahead stops the race",
                        withPeers(cluster().initialized().members("n1", "n2").build(), replica(100), Map.of("n2", answered(false, 200, 1))),
                        Decision.Wait.class, "n2 is ahead of me"),
                row("an equal peer with higher priority stops the race",
                        withPeers(cluster().initialized().members("n1", "n2").build(), replica(100), Map.of("n2", answered(false, 100, 5))),
                        Decision.Wait.class, "higher failover_priority"),
                row("a peer ahead that may not be promoted does not stop the race",
                        withPeers(cluster().initialized().members("n1", "n2").build(), replica(100), Map.of("n2", answered(false, 300, 0))),
                        Decision.AcquireLeader.class, "healthiest of 2"),
                row("unreachable peers do not block the race",
                        withPeers(cluster().initialized().members("n1", "n2", "n3").build(), replica(100),
                                Map.of("n2", answered(false, 100, 1), "n3", new PeerStatus.Unreachable("timeout"))),
                        Decision.AcquireLeader.class, "healthiest of 3 (1 peer(s) answered)"),
                row("the only member races at once", obs(cluster().initialized().members("n1").build(), replica(100)),
                        Decision.AcquireLeader.class, "only member"),
                row("leaderless old primary on a superseded timeline demotes",
                        obs(cluster().initialized().members("n1", "n2").history(2).build(), primary(100)),
                        Decision.Demote.class, "moved on to 3"),
                row("leaderless primary on the current timeline takes the key back",
                        obs(cluster().initialized().members("n1", "n2").history(1).build(), primary(100)),
                        Decision.AcquireLeader.class, "still run as primary"),
                row("leaderless and stopped: start read-only before racing",
                        obs(cluster().initialized().members("n1", "n2").build(), stoppedFor(3, false)),
                        Decision.StartReplica.class, "before racing"));
    }

    /** The failover key (switchover, failover, schedules), pause, and operator requests. */
    static Stream<Row> operatorRows() {
        HaRules paused = RULES.paused(true);
        String streamingN2 = "";
        return Stream.of(
                row("switchover to a streaming candidate hands over",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, streamingN2)
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\"}").build(), primary(100)),
                        Decision.HandOver.class, "switchover to n2 requested"),
                row("switchover naming another leader is dropped",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n9\",\"member\":\"n2\"}").build(), primary(100)),
                        Decision.DropFailoverRequest.class, "names n9 as the leader"),
                row("switchover to a replica that does not stream is dropped",
                        obs(cluster().initialized().leader("n1", 42).members("n2")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\"}").build(), primary(100)),
                        Decision.DropFailoverRequest.class, "n2 is not streaming"),
                row("switchover to a nofailover replica is dropped",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "\"nofailover\":true")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\"}").build(), primary(100)),
                        Decision.DropFailoverRequest.class, "nofailover"),
                row("switchover to an unknown member is dropped",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n7\"}").build(), primary(100)),
                        Decision.DropFailoverRequest.class, "n7 is not a member"),
                row("a scheduled switchover waits for its time",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2026-11-22T12:05:00+00:00\"}").build(),
                                primary(100)),
                        Decision.KeepLeading.class, "scheduled at 2026-11-22T12:05Z"),
                row("a scheduled switchover that is due hands over",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2026-11-22T11:59:59+00:00\"}").build(),
                                primary(100)),
                        Decision.HandOver.class, "scheduled at"),
                row("a switchover missed long ago is dropped, not run late",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2026-11-22T11:00:00+00:00\"}").build(),
                                primary(100)),
                        Decision.DropFailoverRequest.class, "overdue"),
                row("switchover without a candidate picks the replica furthest ahead",
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "").streaming("n3", 300, "")
                                .failover("{\"leader\":\"n1\"}").build(), primary(300)),
                        Decision.HandOver.class, "switchover to n3"),
                row("switchover without any fit replica is dropped",
                        obs(cluster().initialized().leader("n1", 42).members("n2").failover("{\"leader\":\"n1\"}").build(), primary(300)),
                        Decision.DropFailoverRequest.class, "no replica is eligible"),
                new Row("paused: a switchover needs a named candidate", paused,
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "").failover("{\"leader\":\"n1\"}").build(), primary(300)),
                        Decision.DropFailoverRequest.class, "needs a named candidate"),
                new Row("paused: a switchover to a named candidate still runs", paused,
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\"}").build(), primary(300)),
                        Decision.HandOver.class, "switchover to n2"),
                row("the named candidate takes the key once it has the old leader's shutdown checkpoint",
                        obs(cluster().initialized().members("n1", "n2", "n3").optime(500).failover("{\"leader\":\"n2\",\"member\":\"n1\"}").build(),
                                replica(600)),
                        Decision.AcquireLeader.class, "switchover to me"),
                row("the named candidate waits while it lacks the shutdown checkpoint",
                        obs(cluster().initialized().members("n1", "n2").optime(700).failover("{\"leader\":\"n2\",\"member\":\"n1\"}").build(),
                                replica(600)),
                        Decision.Wait.class, "of the old leader's 0/2BC"),
                row("a failover to me is taken even when lagging: the operator chose",
                        obs(cluster().initialized().members("n1", "n2").optime(9_000_000).failover("{\"member\":\"n1\"}").build(), replica(600)),
                        Decision.AcquireLeader.class, "failover to me"),
                row("other replicas wait for the named candidate",
                        withPeers(cluster().initialized().members("n1", "n2", "n3").failover("{\"member\":\"n2\"}").build(), replica(900),
                                Map.of("n2", answered(false, 100, 1), "n3", answered(false, 100, 1))),
                        Decision.Wait.class, "waiting for n2"),
                row("a named candidate that does not answer does not keep the cluster leaderless",
                        withPeers(cluster().initialized().members("n1", "n2", "n3").failover("{\"member\":\"n2\"}").build(), replica(900),
                                Map.of("n2", new PeerStatus.Unreachable("refused"), "n3", answered(false, 100, 1))),
                        Decision.AcquireLeader.class, "healthiest"),
                new Row("paused: the leader keeps leading", paused, obs(cluster().initialized().leader("n1", 42).build(), primary(100)),
                        Decision.KeepLeading.class, "the leader with the lock"),
                new Row("paused: a leader whose PostgreSQL stopped lets the key go and does not start it", paused,
                        obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(1, true)),
                        Decision.ReleaseLeader.class, "not starting it"),
                new Row("paused: no automatic promotion", paused, obs(cluster().initialized().members("n1", "n2").build(), replica(100)),
                        Decision.Wait.class, "no automatic promotion"),
                new Row("paused: a stopped replica stays stopped", paused,
                        obs(cluster().initialized().leader("n2", 7).members("n1", "n2").build(), stoppedFor(3, false)),
                        Decision.Wait.class, "not starting it"),
                new Row("paused: a second primary is not demoted", paused,
                        obs(cluster().initialized().leader("n2", 7).members("n1", "n2").build(), primary(100)),
                        Decision.Wait.class, "not demoting"),
                new Row("paused: DCS down does not fence the primary", paused, obs(Optional.empty(), primary(100), new Lease(42, Duration.ofSeconds(8), NOW + S / 2)),
                        Decision.HoldOn.class, "without fencing"),
                new Row("paused: a failover to a named candidate still happens", paused,
                        obs(cluster().initialized().members("n1", "n2").failover("{\"member\":\"n1\"}").build(), replica(100)),
                        Decision.AcquireLeader.class, "failover to me"),
                new Row("synchronous mode: a member the sync key does not name may not be promoted", RULES.synchronous(true),
                        obs(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n3\",\"sync_standby\":\"n2\"}").build(),
                                replica(900)),
                        Decision.Wait.class, "only n2 may be promoted"),
                new Row("synchronous mode: the sync standby races and ignores a non-sync member further ahead", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1\"}").build(),
                                replica(500), Map.of("n2", answered(false, 900, 1), "n3", new PeerStatus.Unreachable("down"))),
                        Decision.AcquireLeader.class, "healthiest"),
                new Row("quorum mode: a voter needs the other voter's answer at or behind it", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1,n2\",\"quorum\":1}").build(),
                                replica(500), Map.of("n2", new PeerStatus.Unreachable("down"), "n3", new PeerStatus.Unreachable("down"))),
                        Decision.Wait.class, "needs 1 other voter(s) of [n1, n2] at or behind me; none answered so"),
                new Row("quorum mode: the other voter at or behind me is the vote a promotion needs", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1,n2\",\"quorum\":1}").build(),
                                replica(500), Map.of("n2", answered(false, 500, 1), "n3", new PeerStatus.Unreachable("down"))),
                        Decision.AcquireLeader.class, "healthiest"),
                new Row("quorum mode: a non-voter's answer is no vote", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3", "n4").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1,n2\",\"quorum\":1}").build(),
                                replica(500), Map.of("n2", new PeerStatus.Unreachable("down"), "n3", new PeerStatus.Unreachable("down"),
                                        "n4", answered(false, 100, 1))),
                        Decision.Wait.class, "none answered so"),
                new Row("quorum mode: the former leader the key names needs no vote", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}").build(),
                                replica(500), Map.of("n2", new PeerStatus.Unreachable("down"), "n3", new PeerStatus.Unreachable("down"))),
                        Decision.AcquireLeader.class, "healthiest"),
                new Row("quorum mode: the last registered member cannot collect the vote it needs", RULES.synchronous(true),
                        obs(cluster().initialized().members("n1").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1,n2\",\"quorum\":1}").build(), replica(500)),
                        Decision.Wait.class, "no other member is registered"),
                row("restart is carried out on the leader", asking(cluster().initialized().leader("n1", 42).build(), primary(100),
                        new OperatorRequest.Restart()), Decision.Carry.class, "requested by an operator"),
                row("reinitialize is not carried out on the leader", asking(cluster().initialized().leader("n1", 42).build(), primary(100),
                        new OperatorRequest.Reinitialize()), Decision.KeepLeading.class, "the leader with the lock"),
                row("reinitialize is carried out on a replica", asking(cluster().initialized().leader("n2", 7).members("n1", "n2").build(),
                        replica(100), new OperatorRequest.Reinitialize()), Decision.Carry.class, "cloning again from leader n2"),
                row("reinitialize is carried out on a stopped replica", asking(cluster().initialized().leader("n2", 7).members("n1", "n2").build(),
                        stoppedFor(30, false), new OperatorRequest.Reinitialize()), Decision.Carry.class, "from leader n2"),
                row("reinitialize rescues a data directory of another cluster",
                        asking(cluster().initializedAs("123456789012").leader("n2", 7).build(), replica(100), new OperatorRequest.Reinitialize()),
                        Decision.Carry.class, "from leader n2"),
                row("reload is carried out on a replica", asking(cluster().initialized().leader("n2", 7).members("n1", "n2").build(),
                        replica(100), new OperatorRequest.Reload()), Decision.Carry.class, "requested"),
                row("a restart waits while the replica is stopped", asking(cluster().initialized().leader("n2", 7).members("n1", "n2").build(),
                        stoppedFor(3, false), new OperatorRequest.Restart()), Decision.StartReplica.class, "replica of n2"));
    }

    /** A required watchdog that cannot be used: the node must never acquire, keep or race for the key. */
    static Stream<Row> watchdogRows() {
        HaRules noWatchdog = RULES.cannotLead(Optional.of("watchdog required but /dev/watchdog does not exist"));
        return Stream.of(
                new Row("required watchdog unusable: no bootstrap race", noWatchdog, obs(cluster().build(), new PgState.Absent()),
                        Decision.Wait.class, "watchdog required"),
                new Row("required watchdog unusable: a leaderless replica does not race", noWatchdog,
                        obs(cluster().initialized().members("n1", "n2").build(), replica(100)),
                        Decision.Wait.class, "watchdog required"),
                new Row("required watchdog unusable: the only member does not race either", noWatchdog,
                        obs(cluster().initialized().members("n1").build(), replica(100)),
                        Decision.Wait.class, "watchdog required"),
                new Row("required watchdog unusable: a leaderless primary demotes instead of taking the key back", noWatchdog,
                        obs(cluster().initialized().members("n1", "n2").build(), primary(100)),
                        Decision.Demote.class, "watchdog required"),
                new Row("required watchdog unusable: a switchover to me does not take the key", noWatchdog,
                        obs(cluster().initialized().members("n1", "n2").failover("{\"member\":\"n1\"}").build(), replica(100)),
                        Decision.Wait.class, "watchdog required"),
                new Row("required watchdog unusable: the key holder releases instead of promoting", noWatchdog,
                        obs(cluster().initialized().leader("n1", 42).build(), replica(100)),
                        Decision.ReleaseLeader.class, "watchdog required"),
                new Row("required watchdog failed while leading: release the key", noWatchdog,
                        obs(cluster().initialized().leader("n1", 42).build(), primary(100)),
                        Decision.ReleaseLeader.class, "watchdog required"),
                new Row("required watchdog unusable: a replica still follows", noWatchdog,
                        obs(cluster().initialized().leader("n2", 7).build(), replica(100)),
                        Decision.Follow.class, "following leader n2"),
                new Row("paused: an unusable watchdog changes nothing for the leader", noWatchdog.paused(true),
                        obs(cluster().initialized().leader("n1", 42).build(), primary(100)),
                        Decision.KeepLeading.class, "the leader with the lock"));
    }

    static Stream<Row> allRows() {
        return Stream.of(rows(), operatorRows(), watchdogRows()).flatMap(r -> r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void eachRuleDecidesAndSaysWhy(Row row) {
        Decision decision = new HaCore(row.rules()).decide(row.observation());
        assertThat(decision).as(decision.logLine()).isInstanceOf(row.expected());
        assertThat(decision.reason()).contains(row.reasonContains());
    }

    /** Pause is the operator's explicit exception: it changes nothing, not even a second primary (Patroni only warns). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void noRuleEverLetsANonHolderRunAsPrimary(Row row) {
        Decision decision = new HaCore(row.rules()).decide(row.observation());
        boolean primary = row.observation().pg() instanceof PgState.Running r && r.isPrimary();
        if (primary && !row.observation().holdsLeaderKey() && !row.rules().paused()) {
            assertThat(decision).as("%s keeps a primary without the key: %s", row.name(), decision.logLine())
                    .isInstanceOfAny(Decision.Demote.class, Decision.HoldOn.class, Decision.AcquireLeader.class);
        }
    }
}
