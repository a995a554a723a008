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
        return new Observation("n1", c, pg, MY_LEASE, NOW, Optional.empty());
    }

    private static Observation obs(Optional<Cluster> c, PgState pg, Lease lease) {
        return new Observation("n1", c, pg, lease, NOW, Optional.empty());
    }

    private static Observation withPeers(Optional<Cluster> c, PgState pg, Map<String, PeerStatus> answers) {
        return new Observation("n1", c, pg, MY_LEASE, NOW, Optional.of(new PeerReport(c.orElseThrow().revision(), answers)));
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
                        new Observation("n1", cluster().initialized().members("n1", "n2").build(), replica(100), MY_LEASE, NOW,
                                Optional.of(new PeerReport(99, Map.of("n2", answered(false, 50, 1))))),
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRuleDecidesAndSaysWhy(Row row) {
        Decision decision = new HaCore(row.rules()).decide(row.observation());
        assertThat(decision).as(decision.logLine()).isInstanceOf(row.expected());
        assertThat(decision.reason()).contains(row.reasonContains());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void noRuleEverLetsANonHolderRunAsPrimary(Row row) {
        Decision decision = new HaCore(row.rules()).decide(row.observation());
        boolean primary = row.observation().pg() instanceof PgState.Running r && r.isPrimary();
        if (primary && !row.observation().holdsLeaderKey()) {
            assertThat(decision).as("%s keeps a primary without the key: %s", row.name(), decision.logLine())
                    .isInstanceOfAny(Decision.Demote.class, Decision.HoldOn.class, Decision.AcquireLeader.class);
        }
    }
}
