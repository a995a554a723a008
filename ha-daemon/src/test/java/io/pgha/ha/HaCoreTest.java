package io.pgha.ha;

import io.pgha.dcs.Lease;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
    private static final Instant WALL = Instant.parse("2026-11-22T12:00:00Z");

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

        /** Running replicas that publish they replay archived WAL rather than stream. */
        ClusterBuilder recovering(String... names) {
            for (String n : names) {
                entries.add(new RawEntry(KEYS.member(n), "{\"state\":\"running\",\"role\":\"replica\",\"replication_state\":\"in archive recovery\"}", 6, 1));
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

        /** A history whose entries are given as JSON rows, e.g. a restore's followed by a later promotion. */
        ClusterBuilder historyRows(String... rows) {
            entries.add(new RawEntry(KEYS.prefix() + "history", "[" + String.join(",", rows) + "]", 8, 0));
            return this;
        }

        ClusterBuilder failsafe(String json) {
            entries.add(new RawEntry(KEYS.prefix() + "failsafe", json, 11, 0));
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

    private static final String RESTORED_ONTO_3 = "[2,200,\"restored to time 2026-12-07T12:00:00Z by pgha restore --replace\"]";

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
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.empty(), Optional.empty(), Failsafe.NONE);
    }

    private static Observation obs(Optional<Cluster> c, PgState pg, Lease lease) {
        return new Observation("n1", c, pg, lease, NOW, WALL, Optional.empty(), Optional.empty(), Failsafe.NONE);
    }

    private static Observation withPeers(Optional<Cluster> c, PgState pg, Map<String, PeerStatus> answers) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.of(new PeerReport(c.orElseThrow().revision(), answers)),
                Optional.empty(), Failsafe.NONE);
    }

    private static Observation asking(Optional<Cluster> c, PgState pg, OperatorRequest request) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, WALL, Optional.empty(), Optional.of(request), Failsafe.NONE);
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
                new Row("DCS down, a primary whose lease did not carry the key at the last read demotes", RULES,
                        new Observation("n1", Optional.empty(), primary(100), MY_LEASE, NOW, WALL, Optional.empty(), Optional.empty(),
                                Failsafe.NONE, false),
                        Decision.Demote.class, "did not carry the leader key"),
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
                row("replica's PostgreSQL starting under a leader: follow it once it answers, never start twice",
                        obs(cluster().initialized().leader("n2", 7).build(), new PgState.Starting(SYSID, false, NOW - S)),
                        Decision.Follow.class, "PostgreSQL is starting; following n2 once it answers"),
                row("a former primary starting under another leader is pointed at it, never left to come up writable",
                        obs(cluster().initialized().leader("n2", 7).build(), new PgState.Starting(SYSID, true, NOW - S)),
                        Decision.Follow.class, "following n2 once it answers"),
                row("starting PostgreSQL without a leader: wait", obs(cluster().initialized().members("n2").build(),
                        new PgState.Starting(SYSID, false, NOW - S)), Decision.Wait.class, "starting"),
                row("starting PostgreSQL of another system is refused", obs(cluster().initializedAs("123456789012").build(),
                        new PgState.Starting(SYSID, false, NOW - S)), Decision.Refuse.class, "123456789012"),
                row("leader's PostgreSQL down briefly: restart in place", obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(2, true)),
                        Decision.RestartPrimary.class, "down 2.0 s of primary_start_timeout 10.0 s"),
                row("leader whose PostgreSQL stopped as a standby (fenced mid-promotion) starts it read-only, never as primary in place",
                        obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(1, false)),
                        Decision.StartReplica.class, "to be promoted"),
                new Row("leader whose PostgreSQL stopped as a standby, primary_start_timeout 0: release", failFast,
                        obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(1, false)),
                        Decision.ReleaseLeader.class, "failing over at once"),
                row("leader whose PostgreSQL stopped as a standby too long ago: release",
                        obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(11, false)),
                        Decision.ReleaseLeader.class, "did not come back"),
                row("leader's PostgreSQL down too long: release", obs(cluster().initialized().leader("n1", 42).build(), stoppedFor(11, true)),
                        Decision.ReleaseLeader.class, "did not come back"),
                row("key with my name under my earlier run's lease: the primary binds it to its lease",
                        obs(cluster().initialized().leader("n1", 41).build(), primary(100)),
                        Decision.TakeOverLeader.class, "bound to lease 29 of an earlier run, not my lease 2a; PostgreSQL still runs as primary"),
                row("key with my name under an earlier lease is no right to promote a replica",
                        obs(cluster().initialized().leader("n1", 41).build(), replica(100)),
                        Decision.Wait.class, "waiting for it to expire"),
                row("key with my name under an earlier lease is no right to start PostgreSQL",
                        obs(cluster().initialized().leader("n1", 41).build(), stoppedFor(2, true)),
                        Decision.Wait.class, "waiting for it to expire"),
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
                                Optional.of(new PeerReport(99, Map.of("n2", answered(false, 50, 1)))), Optional.empty(), Failsafe.NONE),
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
                row("leaderless replica with data from before a restore does not race",
                        obs(cluster().initialized().members("n1").historyRows("[1,100,\"promoted\"]", RESTORED_ONTO_3).build(), replica(900)),
                        Decision.Wait.class, "restored onto timeline 3; my data is from before it (timeline 2): reinitialize this member"),
                row("leaderless replica from before a restore waits even after a later promotion",
                        obs(cluster().initialized().members("n1").historyRows(RESTORED_ONTO_3, "[3,300,\"promoted\"]").build(), replica(900)),
                        Decision.Wait.class, "restored onto timeline 3"),
                row("leaderless replica on the restored timeline races as ever",
                        obs(cluster().initialized().members("n1").historyRows("[1,100,\"restored to time 2026-12-07T12:00:00Z by pgha restore --replace\"]")
                                .build(), replica(100)),
                        Decision.AcquireLeader.class, "only member"),
                row("a plain promotion past my timeline does not stop the race: only a restore does",
                        obs(cluster().initialized().members("n1").history(2).build(), replica(100)),
                        Decision.AcquireLeader.class, "only member"),
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
                        obs(cluster().initialized().leader("n1", 42).recovering("n2")
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
                        obs(cluster().initialized().leader("n1", 42).recovering("n2").failover("{\"leader\":\"n1\"}").build(), primary(300)),
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
                new Row("paused: a restarted daemon still takes over its earlier run's key (nothing changes for PostgreSQL)", paused,
                        obs(cluster().initialized().leader("n1", 41).build(), primary(100)),
                        Decision.TakeOverLeader.class, "binding the key to my lease"),
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
                new Row("quorum mode: a voter whose PostgreSQL does not run reports no position and is no vote", RULES.synchronous(true),
                        withPeers(cluster().initialized().members("n1", "n2", "n3").sync("{\"leader\":\"n3\",\"sync_standby\":\"n1,n2\",\"quorum\":1}").build(),
                                replica(500), Map.of("n2", answered(false, 0, 1), "n3", new PeerStatus.Unreachable("down"))),
                        Decision.Wait.class, "none answered so"),
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
                new Row("required watchdog unusable: a primary does not take over its earlier run's key", noWatchdog,
                        obs(cluster().initialized().leader("n1", 41).build(), primary(100)),
                        Decision.Demote.class, "may not lead: watchdog required"),
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

    private static final HaRules FAILSAFE = RULES.failsafe(true, Duration.ofSeconds(8));
    private static final Map<String, String> ALL_THREE = Map.of("n1", "http://n1:8008/patroni", "n2", "http://n2:8008/patroni",
            "n3", "http://n3:8008/patroni");
    private static final String ALL_THREE_JSON = "{\"n1\":\"http://n1:8008/patroni\",\"n2\":\"http://n2:8008/patroni\","
            + "\"n3\":\"http://n3:8008/patroni\"}";

    private static Observation failsafe(Optional<Cluster> c, PgState pg, Lease lease, Failsafe f) {
        return new Observation("n1", c, pg, lease, NOW, WALL, Optional.empty(), Optional.empty(), f);
    }

    /** What a primary knows without the DCS: the failsafe key last seen, an earlier grant, and this cycle's answers. */
    private static Failsafe lastSeen(Map<String, String> members, long grantedUntil, FailsafeReport report) {
        return new Failsafe(members, grantedUntil, Optional.ofNullable(report), Optional.empty(), OptionalLong.empty());
    }

    private static FailsafeReport answers(long startedAgo, String... nameAndAnswer) {
        Map<String, FailsafeAnswer> m = new HashMap<>();
        for (int i = 0; i < nameAndAnswer.length; i += 2) {
            m.put(nameAndAnswer[i], nameAndAnswer[i + 1].equals("ok") ? new FailsafeAnswer.Acknowledged(100)
                    : new FailsafeAnswer.NotAcknowledged(nameAndAnswer[i + 1]));
        }
        return new FailsafeReport(NOW - startedAgo, m);
    }

    /** A replica's promise: it acknowledged {@code leader} this long ago, and/or its daemon started then. */
    private static Failsafe promised(String leader, long ackAgo, long startedAgo) {
        return new Failsafe(Map.of(), 0, Optional.empty(),
                leader.isEmpty() ? Optional.empty() : Optional.of(new Failsafe.Acknowledgement(leader, NOW - ackAgo)),
                startedAgo < 0 ? OptionalLong.empty() : OptionalLong.of(NOW - startedAgo));
    }

    /** Failsafe mode: the primary without the DCS, the replicas' promises, who may race. */
    static Stream<Row> failsafeRows() {
        Lease almostGone = new Lease(42, Duration.ofSeconds(8), NOW + S / 2);
        Lease expired = new Lease(42, Duration.ofSeconds(8), NOW - 2 * S);
        Optional<Cluster> leaderless = cluster().initialized().members("n1", "n2", "n3").failsafe(ALL_THREE_JSON).build();
        return Stream.of(
                new Row("failsafe, DCS down: the primary asks every other member in the failsafe key", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), almostGone, lastSeen(ALL_THREE, 0, null)),
                        Decision.CheckFailsafe.class, "asking n2, n3 to acknowledge me"),
                new Row("failsafe, DCS down: all acknowledged, the primary keeps running past its lease", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), expired, lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "ok", "n3", "ok"))),
                        Decision.HoldOn.class, "all 2 other member(s) in the failsafe key (n2, n3) acknowledged me as leader"),
                new Row("failsafe, DCS down: one member did not answer and the lease is within the margin: demote", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), almostGone,
                                lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "ok", "n3", "no answer within 2000 ms"))),
                        Decision.Demote.class, "not acknowledged by n3 (no answer within 2000 ms)"),
                new Row("failsafe, DCS down: a member that runs as primary itself refuses: demote", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), expired,
                                lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "HTTP 500: Running as a leader", "n3", "ok"))),
                        Decision.Demote.class, "n2 (HTTP 500: Running as a leader)"),
                new Row("failsafe, DCS down: one member missing, but the lease still runs: hold on without a grant", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), MY_LEASE, lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "ok", "n3", "refused"))),
                        Decision.HoldOn.class, "still allowed to write for 5.0 s by the lease"),
                new Row("failsafe, DCS down: one member missing, an earlier round's grant still runs: hold on", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), expired,
                                lastSeen(ALL_THREE, NOW + 4 * S, answers(S / 10, "n2", "ok", "n3", "refused"))),
                        Decision.HoldOn.class, "for 3.0 s by the members' earlier acknowledgements"),
                new Row("failsafe, DCS down: acknowledgements from a round too slow to use are no grant", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), expired, lastSeen(ALL_THREE, 0, answers(7 * S, "n2", "ok", "n3", "ok"))),
                        Decision.Demote.class, "came too late to use"),
                new Row("failsafe, DCS down: the only member in the failsafe key keeps running", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), expired, lastSeen(Map.of("n1", "http://n1:8008/patroni"), 0, null)),
                        Decision.HoldOn.class, "the only member in the failsafe key"),
                new Row("failsafe, DCS down: not in the failsafe key, only the lease counts", FAILSAFE,
                        failsafe(Optional.empty(), primary(100), almostGone,
                                lastSeen(Map.of("n2", "http://n2:8008/patroni", "n3", "http://n3:8008/patroni"), 0, null)),
                        Decision.Demote.class, "within the safety margin"),
                new Row("failsafe mode off: the failsafe key is ignored, only the lease counts", RULES,
                        failsafe(Optional.empty(), primary(100), almostGone, lastSeen(ALL_THREE, 0, null)),
                        Decision.Demote.class, "within the safety margin"),
                new Row("failsafe, DCS down, paused: hold on without fencing, as without failsafe", FAILSAFE.paused(true),
                        failsafe(Optional.empty(), primary(100), expired, lastSeen(ALL_THREE, 0, null)),
                        Decision.HoldOn.class, "without fencing"),
                new Row("failsafe, DCS down: a replica changes nothing", FAILSAFE,
                        failsafe(Optional.empty(), replica(100), MY_LEASE, lastSeen(ALL_THREE, 0, null)),
                        Decision.Wait.class, "non-primary"),
                new Row("failsafe: a replica that acknowledged a leader 3 s ago does not race", FAILSAFE,
                        failsafe(leaderless, replica(100), MY_LEASE, promised("n2", 3 * S, -1)),
                        Decision.Wait.class, "failsafe: n2 was acknowledged as leader 3.0 s ago; not racing until it expires in 5.0 s"),
                new Row("failsafe: an acknowledgement keeps its promise even after failsafe mode was turned off", RULES.failsafe(false, Duration.ofSeconds(8)),
                        failsafe(leaderless, replica(100), MY_LEASE, promised("n2", 3 * S, -1)),
                        Decision.Wait.class, "n2 was acknowledged as leader"),
                new Row("failsafe: an acknowledgement older than ttl has expired: the replica races", FAILSAFE,
                        failsafe(leaderless, replica(100), MY_LEASE, promised("n2", 9 * S, -1)),
                        Decision.CheckPeers.class, "asking 2 peer(s)"),
                new Row("failsafe: after its acknowledgement expired a replica races, but not against a primary still running", FAILSAFE,
                        new Observation("n1", leaderless, replica(100), MY_LEASE, NOW, WALL,
                                Optional.of(new PeerReport(100, Map.of("n2", answered(true, 900, 1), "n3", answered(false, 100, 1)))),
                                Optional.empty(), promised("n2", 9 * S, -1)),
                        Decision.Wait.class, "n2 still runs as primary"),
                new Row("failsafe: a fresh acknowledgement outranks an operator's failover to me", FAILSAFE,
                        failsafe(cluster().initialized().members("n1", "n2").failsafe(ALL_THREE_JSON).failover("{\"member\":\"n1\"}").build(),
                                replica(100), MY_LEASE, promised("n2", 3 * S, -1)),
                        Decision.Wait.class, "n2 was acknowledged as leader"),
                new Row("failsafe: under a leader, an acknowledgement changes nothing", FAILSAFE,
                        failsafe(cluster().initialized().leader("n2", 7).members("n1", "n2").failsafe(ALL_THREE_JSON).build(), replica(100),
                                MY_LEASE, promised("n2", 3 * S, -1)),
                        Decision.Follow.class, "following leader n2"),
                new Row("failsafe: a daemon started less than ttl ago may have forgotten a promise: no race", FAILSAFE,
                        failsafe(leaderless, replica(100), MY_LEASE, promised("", 0, 2 * S)),
                        Decision.Wait.class, "this daemon started 2.0 s ago"),
                new Row("failsafe mode off: a daemon just started races", RULES,
                        failsafe(cluster().initialized().members("n1", "n2", "n3").build(), replica(100), MY_LEASE, promised("", 0, 2 * S)),
                        Decision.CheckPeers.class, "asking 2 peer(s)"),
                new Row("failsafe: a member the failsafe key does not list does not race", FAILSAFE,
                        failsafe(cluster().initialized().members("n1", "n2", "n3")
                                        .failsafe("{\"n2\":\"http://n2:8008/patroni\",\"n3\":\"http://n3:8008/patroni\"}").build(),
                                replica(100), MY_LEASE, Failsafe.NONE),
                        Decision.Wait.class, "only the members in the failsafe key (n2, n3) may race; I am not one of them"),
                new Row("failsafe mode off: the failsafe key does not keep anyone from racing", RULES,
                        failsafe(cluster().initialized().members("n1", "n2", "n3")
                                        .failsafe("{\"n2\":\"http://n2:8008/patroni\",\"n3\":\"http://n3:8008/patroni\"}").build(),
                                replica(100), MY_LEASE, Failsafe.NONE),
                        Decision.CheckPeers.class, "asking 2 peer(s)"),
                new Row("failsafe: members listed in the failsafe key are asked even when their member keys expired", FAILSAFE,
                        failsafe(cluster().initialized().members("n1", "n2").failsafe(ALL_THREE_JSON).build(), replica(100), MY_LEASE,
                                Failsafe.NONE),
                        Decision.CheckPeers.class, "asking 2 peer(s)"),
                new Row("failsafe: a peer further ahead that the failsafe key does not list is no rival: it cannot race", FAILSAFE,
                        new Observation("n1", cluster().initialized().members("n1", "n2", "n3")
                                .failsafe("{\"n1\":\"http://n1:8008/patroni\"}").build(), replica(100), MY_LEASE, NOW, WALL,
                                Optional.of(new PeerReport(100, Map.of("n2", answered(false, 900, 1), "n3", answered(false, 100, 1)))),
                                Optional.empty(), Failsafe.NONE),
                        Decision.AcquireLeader.class, "healthiest"),
                new Row("failsafe: a listed peer further ahead still stops the race", FAILSAFE,
                        new Observation("n1", leaderless, replica(100), MY_LEASE, NOW,
                                WALL, Optional.of(new PeerReport(100, Map.of("n2", answered(false, 900, 1), "n3", answered(false, 100, 1)))),
                                Optional.empty(), Failsafe.NONE),
                        Decision.Wait.class, "n2 is ahead of me"),
                new Row("failsafe: the primary that ran on failsafe takes its key back when the DCS returns", FAILSAFE,
                        failsafe(leaderless, primary(100), MY_LEASE, Failsafe.NONE),
                        Decision.AcquireLeader.class, "still run as primary; taking the key back"));
    }

    static final HaRules STANDBY = RULES.standby(true);

    /** A standby cluster: its leader holds the key like any leader, and replicates from the remote primary instead of writing. */
    static Stream<Row> standbyRows() {
        Optional<Cluster> mine = cluster().initialized().leader("n1", 42).build();
        return Stream.of(
                new Row("standby cluster: the leader running as a replica leads as standby leader, never promotes", STANDBY,
                        obs(mine, replica(100)), Decision.LeadStandby.class, "the standby leader, replicating from the remote primary"),
                new Row("standby cluster: the standby leader's PostgreSQL stopped is started as a replica of the remote", STANDBY,
                        obs(mine, stoppedFor(2, false)), Decision.StartStandbyLeader.class, "as a replica of the remote primary"),
                new Row("standby cluster: even a leader stopped as primary restarts as a standby, never writable", STANDBY,
                        obs(mine, stoppedFor(2, true)), Decision.StartStandbyLeader.class, "replica of the remote primary"),
                new Row("standby cluster: a primary holding the key is left alone and named", STANDBY,
                        obs(mine, primary(100)), Decision.Refuse.class, "does not turn a writable primary into a standby leader"),
                new Row("standby cluster: a member races for a free key like any replica", STANDBY,
                        obs(cluster().initialized().build(), replica(100)), Decision.AcquireLeader.class, "only member"),
                new Row("standby cluster: a replica follows the standby leader", STANDBY,
                        obs(cluster().initialized().leader("n2", 7).build(), replica(100)), Decision.Follow.class, "following leader n2"),
                new Row("standby cluster: a switchover hands the standby leader key over, nobody promotes", STANDBY,
                        obs(cluster().initialized().leader("n1", 42).streaming("n2", 100, "")
                                .failover("{\"leader\":\"n1\",\"member\":\"n2\"}").build(), replica(100)),
                        Decision.HandOver.class, "switchover to n2 requested"),
                new Row("standby cluster: the candidate takes the free key as standby leader", STANDBY,
                        obs(cluster().initialized().members("n2").failover("{\"leader\":\"n2\",\"member\":\"n1\"}").build(), replica(100)),
                        Decision.AcquireLeader.class, "switchover to me"),
                new Row("standby cluster, paused: the standby leader stopped releases the key as any paused leader", STANDBY.paused(true),
                        obs(mine, stoppedFor(2, false)), Decision.ReleaseLeader.class, "paused"));
    }

    static Stream<Row> allRows() {
        return Stream.of(rows(), operatorRows(), watchdogRows(), failsafeRows(), standbyRows()).flatMap(r -> r);
    }

    /** Every rule, in a standby cluster: nothing ever makes PostgreSQL writable there. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void aStandbyClusterNeverPromotesOrStartsAPrimary(Row row) {
        Decision decision = new HaCore(row.rules().standby(true)).decide(row.observation());
        assertThat(decision).as(decision.logLine()).isNotInstanceOfAny(Decision.Promote.class, Decision.RestartPrimary.class);
    }

    @org.junit.jupiter.api.Test
    void allAcknowledgementsGrantTtlFromTheStartOfTheRound() {
        Lease expired = new Lease(42, Duration.ofSeconds(8), NOW - 2 * S);
        Decision d = new HaCore(FAILSAFE).decide(failsafe(Optional.empty(), primary(100), expired,
                lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "ok", "n3", "ok"))));
        assertThat(d).isInstanceOfSatisfying(Decision.HoldOn.class,
                h -> assertThat(h.failsafeGrantedUntilNanos()).isEqualTo(NOW - S / 10 + 8 * S));
        Decision none = new HaCore(FAILSAFE).decide(failsafe(Optional.empty(), primary(100), MY_LEASE,
                lastSeen(ALL_THREE, 0, answers(S / 10, "n2", "ok", "n3", "refused"))));
        assertThat(none).isInstanceOfSatisfying(Decision.HoldOn.class, h -> assertThat(h.grantsFailsafe()).isFalse());
        Decision ask = new HaCore(FAILSAFE).decide(failsafe(Optional.empty(), primary(100), MY_LEASE, lastSeen(ALL_THREE, 0, null)));
        assertThat(ask).isInstanceOfSatisfying(Decision.CheckFailsafe.class,
                c -> assertThat(c.members()).containsOnlyKeys("n2", "n3").containsEntry("n2", "http://n2:8008/patroni"));
    }

    @Test
    void aTakeOverNamesTheKeyVersionItWasDecidedOn() {
        Decision d = new HaCore(RULES).decide(obs(cluster().initialized().leader("n1", 41).build(), primary(100)));
        // The CAS must compare the very key the decision saw: a key re-created since is not ours to rebind.
        assertThat(d).isInstanceOfSatisfying(Decision.TakeOverLeader.class, t -> assertThat(t.version()).isEqualTo(5));
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
                    .isInstanceOfAny(Decision.Demote.class, Decision.HoldOn.class, Decision.AcquireLeader.class,
                            Decision.TakeOverLeader.class, Decision.CheckFailsafe.class);
        }
    }
}
