package io.pgha.ha;

import io.pgha.config.SynchronousMode;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.pgha.config.SynchronousMode.OFF;
import static io.pgha.config.SynchronousMode.ON;
import static io.pgha.config.SynchronousMode.QUORUM;
import static org.assertj.core.api.Assertions.assertThat;

/** Each step of the way to the wanted synchronous standbys, and the order that keeps failover lossless. */
class SyncPlanTest {
    private static final KeyLayout KEYS = new KeyLayout("/service", "demo");

    private static Cluster cluster(String syncKey, String... members) {
        List<RawEntry> e = new ArrayList<>();
        for (String m : members) {
            String tags = m.endsWith("-nosync") ? "{\"nosync\":true}" : "{}";
            e.add(new RawEntry(KEYS.member(m), "{\"state\":\"running\",\"role\":\"replica\",\"tags\":" + tags + "}", 5, 1));
        }
        if (syncKey != null) {
            e.add(new RawEntry(KEYS.prefix() + "sync", syncKey, 6, 0));
        }
        return Cluster.fromEntries(KEYS, e, 10);
    }

    private static List<ReplicationPeer> streaming(String... names) {
        return Arrays.stream(names).map(n -> new ReplicationPeer("replicator", n, "127.0.0.1", "streaming", "async", 0, 0)).toList();
    }

    /** A plan input: leader n1, 1 synchronous node, nothing rejected. */
    private record In(SynchronousMode mode, boolean strict, boolean reject, int count, Cluster cluster, String guc, boolean confirmed,
                      boolean rejected, List<ReplicationPeer> rows) {
        static In of(SynchronousMode mode, Cluster c, String guc, boolean confirmed, List<ReplicationPeer> rows) {
            return new In(mode, false, false, 1, c, guc, confirmed, false, rows);
        }

        In strictMode(boolean reject) {
            return new In(mode, true, reject, count, cluster, guc, confirmed, rejected, rows);
        }

        In withCount(int n) {
            return new In(mode, strict, reject, n, cluster, guc, confirmed, rejected, rows);
        }

        In alreadyRejecting() {
            return new In(mode, strict, reject, count, cluster, guc, confirmed, true, rows);
        }

        SyncPlan.Step next() {
            return SyncPlan.next(new SyncPlan.Inputs("n1", mode, strict, reject, count, cluster, StandbyNames.parse(guc), confirmed, rejected, rows));
        }
    }

    private static SyncPlan.WriteSyncKey key(SyncPlan.Step s) {
        assertThat(s).isInstanceOf(SyncPlan.WriteSyncKey.class);
        return (SyncPlan.WriteSyncKey) s;
    }

    private static String guc(SyncPlan.Step s) {
        assertThat(s).isInstanceOf(SyncPlan.SetStandbyNames.class);
        return ((SyncPlan.SetStandbyNames) s).value().render();
    }

    @Test
    void aNewLeaderFirstNamesNoVoterSoThatOnlyItMayBePromoted() {
        Cluster inherited = cluster("{\"leader\":\"n0\",\"sync_standby\":\"n1,n2\"}", "n1", "n2", "n3");
        SyncPlan.WriteSyncKey w = key(In.of(ON, inherited, "", false, streaming("n2", "n3")).next());
        assertThat(w.voters()).isEmpty();
        assertThat(key(In.of(QUORUM, inherited, "", false, streaming("n2", "n3")).next()).quorum()).contains(0);
    }

    @Test
    void onModeAStandbyGoesIntoTheGucFirstAndIntoTheKeyOnlyOnceConfirmed() {
        Cluster mine = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2", "n3");
        assertThat(guc(In.of(ON, mine, "", true, streaming("n2", "n3")).next())).isEqualTo("FIRST 1 (\"n2\")");
        assertThat(In.of(ON, mine, "FIRST 1 (n2)", false, streaming("n2", "n3")).next())
                .as("not named before it confirmed").isInstanceOf(SyncPlan.AwaitConfirmation.class);
        SyncPlan.WriteSyncKey w = key(In.of(ON, mine, "FIRST 1 (n2)", true, streaming("n2", "n3")).next());
        assertThat(w.voters()).containsExactly("n2");
        assertThat(w.quorum()).as("Patroni's non-quorum key has no quorum").isEmpty();

        Cluster steady = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2", "n3");
        assertThat(In.of(ON, steady, "FIRST 1 (n2)", true, streaming("n2", "n3")).next()).isInstanceOf(SyncPlan.Steady.class);
    }

    @Test
    void onModeAStandbyThatStopsStreamingLeavesTheKeyBeforeTheGuc() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2", "n3");
        assertThat(key(In.of(ON, c, "FIRST 1 (n2)", true, streaming("n3")).next()).voters())
                .as("n3 may lack commits only n2 acknowledged: nobody but the leader until n3 is confirmed").isEmpty();
        Cluster narrowed = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2", "n3");
        assertThat(guc(In.of(ON, narrowed, "FIRST 1 (n2)", true, streaming("n3")).next())).isEqualTo("FIRST 1 (\"n3\")");
    }

    @Test
    void strictModeWithNoStandbyKeepsTheLastOneAndLetsCommitsWait() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        assertThat(In.of(ON, c, "FIRST 1 (n2)", true, List.of()).strictMode(false).next())
                .as("neither key nor GUC lose n2").isInstanceOf(SyncPlan.Steady.class);
        Cluster fresh = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2");
        assertThat(guc(In.of(ON, fresh, "", true, List.of()).strictMode(false).next())).isEqualTo("FIRST 1 (\"" + SyncPlan.PLACEHOLDER + "\")");
    }

    @Test
    void strictModeCanRejectWritesInsteadAndStopsRejectingOnceAStandbyIsBack() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        assertThat(In.of(ON, c, "FIRST 1 (n2)", true, List.of()).strictMode(true).next())
                .isEqualTo(new SyncPlan.RejectWrites(true, "strict: no eligible standby"));
        assertThat(In.of(ON, c, "FIRST 1 (n2)", true, List.of()).strictMode(true).alreadyRejecting().next())
                .as("rejecting, and commits that slip through still wait").isInstanceOf(SyncPlan.Steady.class);
        assertThat(In.of(ON, c, "FIRST 1 (n2)", true, streaming("n2")).strictMode(true).alreadyRejecting().next())
                .isEqualTo(new SyncPlan.RejectWrites(false, "a synchronous standby is eligible"));
        assertThat(In.of(OFF, c, "", true, List.of()).alreadyRejecting().next())
                .as("a node promoted with the setting left from an old strict leader accepts writes").isInstanceOf(SyncPlan.RejectWrites.class);
    }

    @Test
    void nonStrictWithNoStandbyEmptiesTheKeyThenRunsUnprotected() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        assertThat(key(In.of(ON, c, "FIRST 1 (n2)", true, List.of()).next()).voters()).isEmpty();
        Cluster emptied = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2");
        assertThat(guc(In.of(ON, emptied, "FIRST 1 (n2)", true, List.of()).next())).isEmpty();
    }

    @Test
    void nosyncMembersAreNeverChosen() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2-nosync");
        assertThat(In.of(ON, c, "", true, streaming("n2-nosync")).next()).isInstanceOf(SyncPlan.Steady.class);
        assertThat(In.of(QUORUM, cluster("{\"leader\":\"n1\",\"quorum\":0}", "n1", "n2-nosync"), "", true, streaming("n2-nosync")).next())
                .isInstanceOf(SyncPlan.Steady.class);
    }

    @Test
    void turningSynchronousModeOffEmptiesTheGucThenDropsTheKey() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        assertThat(In.of(OFF, c, "FIRST 1 (n2)", true, streaming("n2")).next())
                .isEqualTo(new SyncPlan.SetStandbyNames(StandbyNames.NONE, "synchronous mode is off"));
        assertThat(In.of(OFF, c, "", true, streaming("n2")).next()).isInstanceOf(SyncPlan.DropSyncKey.class);
    }

    @Test
    void quorumModeNamesEveryEligibleStandbyAndAsksForTheOtherVoteOnPromotion() {
        Cluster mine = cluster("{\"leader\":\"n1\",\"quorum\":0}", "n1", "n2", "n3");
        assertThat(guc(In.of(QUORUM, mine, "", true, streaming("n2", "n3")).next())).isEqualTo("ANY 1 (\"n2\",\"n3\")");
        assertThat(In.of(QUORUM, mine, "ANY 1 (n2,n3)", false, streaming("n2", "n3")).next()).isInstanceOf(SyncPlan.AwaitConfirmation.class);
        SyncPlan.WriteSyncKey w = key(In.of(QUORUM, mine, "ANY 1 (n2,n3)", true, streaming("n2", "n3")).next());
        assertThat(w.voters()).containsExactly("n2", "n3");
        assertThat(w.quorum()).as("a commit is on one of two: a candidate must hear from the other").contains(1);
        assertThat(SyncQuorum.safe(w.voters(), w.quorum().get(), StandbyNames.parse("ANY 1 (n2,n3)"))).isTrue();

        Cluster both = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":0}", "n1", "n2", "n3");
        assertThat(In.of(QUORUM, both, "ANY 2 (n2,n3)", true, streaming("n2", "n3")).withCount(2).next())
                .as("ANY 2 of 2: every voter has every commit, no other vote needed").isInstanceOf(SyncPlan.Steady.class);
    }

    @Test
    void quorumModeAddsAVoterToTheKeyBeforeTheGucCanLetItAcknowledgeAlone() {
        Cluster twoVoters = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}", "n1", "n2", "n3", "n4");
        SyncPlan.WriteSyncKey widened = key(In.of(QUORUM, twoVoters, "ANY 1 (n2,n3)", true, streaming("n2", "n3", "n4")).next());
        assertThat(widened.voters()).containsExactlyInAnyOrder("n2", "n3", "n4");
        assertThat(widened.quorum()).contains(2);
        Cluster wide = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3,n4\",\"quorum\":2}", "n1", "n2", "n3", "n4");
        assertThat(guc(In.of(QUORUM, wide, "ANY 1 (n2,n3)", true, streaming("n2", "n3", "n4")).next())).isEqualTo("ANY 1 (\"n2\",\"n3\",\"n4\")");
        assertThat(In.of(QUORUM, wide, "ANY 1 (n2,n3,n4)", true, streaming("n2", "n3", "n4")).next()).isInstanceOf(SyncPlan.Steady.class);
    }

    @Test
    void quorumModeDropsADeadVoterFromTheGucFirstThenFromTheKeyOnceTheRestConfirmed() {
        Cluster three = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3,n4\",\"quorum\":2}", "n1", "n2", "n3", "n4");
        assertThat(guc(In.of(QUORUM, three, "ANY 1 (n2,n3,n4)", true, streaming("n2", "n3")).next())).isEqualTo("ANY 1 (\"n2\",\"n3\")");
        assertThat(In.of(QUORUM, three, "ANY 1 (n2,n3)", false, streaming("n2", "n3")).next())
                .as("a commit only n4 acknowledged may not be on n2 or n3 yet").isInstanceOf(SyncPlan.AwaitConfirmation.class);
        SyncPlan.WriteSyncKey w = key(In.of(QUORUM, three, "ANY 1 (n2,n3)", true, streaming("n2", "n3")).next());
        assertThat(w.voters()).containsExactly("n2", "n3");
        assertThat(w.quorum()).contains(1);
    }

    @Test
    void quorumModeLoweringTheCountWidensThePromotionQuorumFirst() {
        Cluster all = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":0}", "n1", "n2", "n3");
        SyncPlan.WriteSyncKey w = key(In.of(QUORUM, all, "ANY 2 (n2,n3)", true, streaming("n2", "n3")).withCount(1).next());
        assertThat(w.quorum()).contains(1);
        Cluster widened = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}", "n1", "n2", "n3");
        assertThat(guc(In.of(QUORUM, widened, "ANY 2 (n2,n3)", true, streaming("n2", "n3")).withCount(1).next())).isEqualTo("ANY 1 (\"n2\",\"n3\")");
    }

    @Test
    void theGucValueRoundTrips() {
        assertThat(StandbyNames.first(List.of("pg-2", "pg-3")).render()).isEqualTo("FIRST 2 (\"pg-2\",\"pg-3\")");
        assertThat(StandbyNames.parse("FIRST 2 (\"pg-2\",\"pg-3\")")).isEqualTo(StandbyNames.first(List.of("pg-2", "pg-3")));
        assertThat(StandbyNames.parse("ANY 1 (a, b)")).isEqualTo(StandbyNames.any(1, List.of("a", "b")));
        assertThat(StandbyNames.parse("2 (a, b, c)")).isEqualTo(new StandbyNames(false, 2, List.of("a", "b", "c")));
        assertThat(StandbyNames.parse("a, b")).as("a bare list is FIRST 1").isEqualTo(new StandbyNames(false, 1, List.of("a", "b")));
        assertThat(StandbyNames.parse("")).isEqualTo(StandbyNames.NONE);
        assertThat(StandbyNames.parse("ANY 1 (\"we\"\"ird\")").names()).containsExactly("we\"ird");
    }
}
