package io.pgha.ha;

import io.pgha.dcs.KeyLayout;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.RawEntry;
import io.pgha.node.PgSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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

    private static PgSnapshot.ReplicationPeer row(String name, String syncState) {
        return new PgSnapshot.ReplicationPeer("replicator", name, "127.0.0.1", "streaming", syncState, 0);
    }

    @Test
    void aNewStandbyGoesIntoTheGucFirstAndIntoTheKeyOnlyOnceConfirmed() {
        Cluster c = cluster(null, "n1", "n2", "n3");
        SyncPlan.Step first = SyncPlan.next("n1", true, false, 1, c, List.of(), List.of(row("n2", "async"), row("n3", "async")));
        assertThat(first).isEqualTo(new SyncPlan.SetStandbyNames(List.of("n2"), "eligible streaming standbys"));

        SyncPlan.Step unconfirmed = SyncPlan.next("n1", true, false, 1, c, List.of("n2"), List.of(row("n2", "async"), row("n3", "async")));
        assertThat(unconfirmed).isInstanceOf(SyncPlan.WriteSyncKey.class);
        assertThat(((SyncPlan.WriteSyncKey) unconfirmed).standbys()).as("not named before PostgreSQL confirms").isEmpty();

        SyncPlan.Step confirmed = SyncPlan.next("n1", true, false, 1, c, List.of("n2"), List.of(row("n2", "sync"), row("n3", "async")));
        assertThat(confirmed).isEqualTo(new SyncPlan.WriteSyncKey(List.of("n2"), "confirmed by PostgreSQL"));

        Cluster steady = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2", "n3");
        assertThat(SyncPlan.next("n1", true, false, 1, steady, List.of("n2"), List.of(row("n2", "sync"), row("n3", "async"))))
                .isInstanceOf(SyncPlan.Steady.class);
    }

    @Test
    void aStandbyThatStopsStreamingLeavesTheKeyBeforeTheGuc() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2", "n3");
        SyncPlan.Step first = SyncPlan.next("n1", true, false, 1, c, List.of("n2"), List.of(row("n3", "async")));
        assertThat(first).isInstanceOf(SyncPlan.WriteSyncKey.class);
        assertThat(((SyncPlan.WriteSyncKey) first).standbys()).isEmpty();

        Cluster narrowed = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2", "n3");
        assertThat(SyncPlan.next("n1", true, false, 1, narrowed, List.of("n2"), List.of(row("n3", "async"))))
                .isEqualTo(new SyncPlan.SetStandbyNames(List.of("n3"), "eligible streaming standbys"));
    }

    @Test
    void strictModeWithNoStandbyKeepsTheLastOneAndLetsCommitsWait() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        SyncPlan.Step step = SyncPlan.next("n1", true, true, 1, c, List.of("n2"), List.of());
        assertThat(step).as("neither key nor GUC lose n2").isInstanceOf(SyncPlan.Steady.class);

        Cluster fresh = cluster(null, "n1", "n2");
        assertThat(SyncPlan.next("n1", true, true, 1, fresh, List.of(), List.of()))
                .isEqualTo(new SyncPlan.SetStandbyNames(List.of(SyncPlan.PLACEHOLDER), "strict: no eligible standby, commits wait"));
    }

    @Test
    void nonStrictWithNoStandbyRunsUnprotectedAfterEmptyingTheKey() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":null}", "n1", "n2");
        assertThat(SyncPlan.next("n1", true, false, 1, c, List.of("n2"), List.of()))
                .isEqualTo(new SyncPlan.SetStandbyNames(List.of(), "no eligible standby, commits run unprotected"));
    }

    @Test
    void nosyncMembersAreNeverChosen() {
        Cluster c = cluster(null, "n1", "n2-nosync");
        assertThat(SyncPlan.next("n1", true, false, 1, c, List.of(), List.of(row("n2-nosync", "async"))))
                .isEqualTo(new SyncPlan.WriteSyncKey(List.of(), "no synchronous standby confirmed"));
    }

    @Test
    void turningSynchronousModeOffEmptiesTheGucThenDropsTheKey() {
        Cluster c = cluster("{\"leader\":\"n1\",\"sync_standby\":\"n2\"}", "n1", "n2");
        assertThat(SyncPlan.next("n1", false, false, 1, c, List.of("n2"), List.of(row("n2", "sync"))))
                .isEqualTo(new SyncPlan.SetStandbyNames(List.of(), "synchronous mode is off"));
        assertThat(SyncPlan.next("n1", false, false, 1, c, List.of(), List.of(row("n2", "async")))).isInstanceOf(SyncPlan.DropSyncKey.class);
    }

    @Test
    void theGucValueRoundTrips() {
        assertThat(SyncPlan.render(List.of("pg-2", "pg-3"))).isEqualTo("FIRST 2 (\"pg-2\",\"pg-3\")");
        assertThat(SyncPlan.parse("FIRST 2 (\"pg-2\",\"pg-3\")")).containsExactly("pg-2", "pg-3");
        assertThat(SyncPlan.parse("ANY 1 (a, b)")).containsExactly("a", "b");
        assertThat(SyncPlan.parse("")).isEmpty();
    }
}
