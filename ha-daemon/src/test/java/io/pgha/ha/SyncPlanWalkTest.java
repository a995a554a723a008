package io.pgha.ha;

import io.pgha.config.SynchronousMode;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random walks of the leader's synchronous replication plan: standbys come and go, the node count
 * and strictness change, PostgreSQL confirms at random moments. After every step the sync key must
 * meet every commit quorum of every synchronous_standby_names value whose commits may not yet be on
 * the current standbys, checked by enumerating the subsets (not by {@link SyncQuorum}, which it
 * checks too). With the world held still, the plan must settle.
 */
class SyncPlanWalkTest {
    private static final KeyLayout KEYS = new KeyLayout("/service", "walk");
    private static final List<String> STANDBYS = List.of("n2", "n3", "n4", "n5");

    @Test
    void everyKeyWrittenMeetsEveryCommitQuorumThatMayStillMatter() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int steps = 0;
        for (int walk = 0; walk < 400; walk++) {
            steps += walk(rnd, seed, walk);
        }
        assertThat(steps).isGreaterThan(10_000);
    }

    private static int walk(Random rnd, long seed, int walk) {
        SynchronousMode mode = rnd.nextBoolean() ? SynchronousMode.QUORUM : SynchronousMode.ON;
        StandbyNames guc = StandbyNames.NONE;
        List<String> voters = List.of();
        int quorum = 0;
        boolean confirmed = true;
        // The values commits may have been acknowledged under and not be known to be on the current standbys.
        List<StandbyNames> live = new ArrayList<>(List.of(guc));
        Set<String> streaming = new LinkedHashSet<>(STANDBYS);
        int count = 1;
        boolean strict = false;
        int steps = 0;
        for (int i = 0; i < 60; i++) {
            if (rnd.nextInt(4) == 0) {
                String s = STANDBYS.get(rnd.nextInt(STANDBYS.size()));
                if (!streaming.remove(s)) {
                    streaming.add(s);
                }
            }
            if (rnd.nextInt(10) == 0) {
                count = 1 + rnd.nextInt(3);
            }
            if (rnd.nextInt(10) == 0) {
                strict = !strict;
            }
            if (!confirmed && rnd.nextInt(3) == 0 && streaming.stream().filter(guc.names()::contains).count() >= guc.count()) {
                confirmed = true;
                live = new ArrayList<>(List.of(guc));
            }
            Cluster c = cluster(voters, quorum, mode == SynchronousMode.QUORUM);
            SyncPlan.Step step = SyncPlan.next(new SyncPlan.Inputs("n1", mode, strict, false, count, c, guc, confirmed, false,
                    streaming.stream().map(n -> new ReplicationPeer("r", n, "", "streaming", "async", 0, 0)).toList()));
            steps++;
            String where = "seed " + seed + " walk " + walk + " step " + i + " (" + mode + ", " + step.describe() + ")";
            if (step instanceof SyncPlan.SetStandbyNames set) {
                guc = set.value();
                confirmed = guc.isEmpty();
                live.add(guc);
            } else if (step instanceof SyncPlan.WriteSyncKey w) {
                voters = w.voters();
                quorum = w.quorum().orElse(0);
                if (mode == SynchronousMode.ON) {
                    assertThat(quorum).as("a non-quorum key needs no vote: " + where).isZero();
                }
            }
            for (StandbyNames g : live) {
                assertThat(meets(voters, quorum, g)).as("key " + voters + " quorum " + quorum + " against " + g.render() + ": " + where).isTrue();
                assertThat(SyncQuorum.safe(voters, quorum, g)).as("SyncQuorum agrees: " + where).isTrue();
            }
        }
        // Held still with everything confirmed as soon as it can be, the plan settles.
        for (int i = 0; i < 12; i++) {
            if (!confirmed && streaming.stream().filter(guc.names()::contains).count() >= guc.count()) {
                confirmed = true;
            }
            SyncPlan.Step step = SyncPlan.next(new SyncPlan.Inputs("n1", mode, strict, false, count, cluster(voters, quorum, mode == SynchronousMode.QUORUM),
                    guc, confirmed, false, streaming.stream().map(n -> new ReplicationPeer("r", n, "", "streaming", "async", 0, 0)).toList()));
            if (step instanceof SyncPlan.Steady) {
                return steps;
            }
            if (step instanceof SyncPlan.SetStandbyNames set) {
                guc = set.value();
                confirmed = guc.isEmpty();
            } else if (step instanceof SyncPlan.WriteSyncKey w) {
                voters = w.voters();
                quorum = w.quorum().orElse(0);
            }
        }
        throw new AssertionError("seed " + seed + " walk " + walk + ": the plan did not settle (" + mode + ", streaming " + streaming
                + ", count " + count + ", guc " + guc.render() + ", key " + voters + "/" + quorum + ")");
    }

    /** Every set of quorum+1 voters meets every set of count standbys that can acknowledge a commit (no voters: only the leader). */
    static boolean meets(List<String> voters, int quorum, StandbyNames guc) {
        if (voters.isEmpty()) {
            return true;
        }
        if (quorum + 1 > voters.size()) {
            return false;
        }
        List<Set<String>> promotions = subsets(voters, quorum + 1);
        List<Set<String>> commits = subsets(guc.names(), guc.count());
        for (Set<String> k : commits) {
            for (Set<String> q : promotions) {
                if (k.stream().noneMatch(q::contains)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Set<String>> subsets(List<String> of, int size) {
        List<Set<String>> out = new ArrayList<>();
        int n = of.size();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) == size) {
                Set<String> s = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        s.add(of.get(i));
                    }
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Cluster cluster(List<String> voters, int quorum, boolean withQuorum) {
        List<RawEntry> e = new ArrayList<>();
        e.add(new RawEntry(KEYS.member("n1"), "{\"state\":\"running\",\"role\":\"primary\"}", 5, 1));
        for (String m : STANDBYS) {
            e.add(new RawEntry(KEYS.member(m), "{\"state\":\"running\",\"role\":\"replica\"}", 5, 1));
        }
        String standbys = voters.isEmpty() ? "null" : "\"" + String.join(",", voters) + "\"";
        e.add(new RawEntry(KEYS.prefix() + "sync", "{\"leader\":\"n1\",\"sync_standby\":" + standbys
                + (withQuorum ? ",\"quorum\":" + quorum : "") + "}", 6, 0));
        return Cluster.fromEntries(KEYS, e, 10);
    }
}
