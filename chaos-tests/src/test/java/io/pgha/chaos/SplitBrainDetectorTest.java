package io.pgha.chaos;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The detector on synthetic histories: it must stay quiet on a clean failover and fire on each kind of split brain. */
class SplitBrainDetectorTest {
    private long id;

    private Write w(String node, int tl, long sentMs, long ackedMs) {
        return new Write(++id, node, tl, sentMs * 1000, ackedMs * 1000, "client");
    }

    /** A node writing every 10 ms, each write taking 2 ms, from {@code fromMs} to {@code toMs}. */
    private List<Write> stream(String node, int tl, long fromMs, long toMs) {
        List<Write> out = new ArrayList<>();
        for (long t = fromMs; t < toMs; t += 10) {
            out.add(w(node, tl, t, t + 2));
        }
        return out;
    }

    @Test
    void cleanFailoverAndFailbackAreNotSplitBrain() {
        List<Write> h = new ArrayList<>();
        h.addAll(stream("n1", 1, 0, 1000));
        h.addAll(stream("n2", 2, 4000, 5000));     // n1 crashed, n2 promoted after the lease expired
        h.addAll(stream("n1", 3, 9000, 10000));    // and later n1 won again, on a new timeline
        h.addAll(stream("n1", 3, 12000, 13000));   // PostgreSQL restarted in place: same timeline
        assertThat(SplitBrainDetector.check(h, 10)).isEmpty();
    }

    @Test
    void twoNodesWritingAtOnceIsAnOverlap() {
        List<Write> h = new ArrayList<>();
        h.addAll(stream("n1", 1, 0, 6000));        // old primary never fenced
        h.addAll(stream("n2", 2, 4001, 6000));     // new primary promoted at 4 s, writes in flight with n1's
        List<SplitBrainDetector.Finding> f = SplitBrainDetector.overlaps(h, 10);
        assertThat(f).isNotEmpty();
        assertThat(f.get(0).a().node()).isNotEqualTo(f.get(0).b().node());
        assertThat(SplitBrainDetector.check(h, 10)).extracting(SplitBrainDetector.Finding::rule).contains("overlap", "stale timeline");
    }

    @Test
    void twoPrimariesWhoseWritesNeverOverlapAreStillCaughtByTheirTimelines() {
        List<Write> h = new ArrayList<>();
        h.addAll(stream("n1", 1, 0, 6000));        // n1 writes at 4000-4002, 4010-4012, ...
        h.addAll(stream("n2", 2, 4005, 6000));     // n2 at 4005-4007, 4015-4017, ...: never in flight together
        assertThat(SplitBrainDetector.overlaps(h, 10)).isEmpty();
        assertThat(SplitBrainDetector.check(h, 10)).extracting(SplitBrainDetector.Finding::rule).containsOnly("stale timeline");
    }

    @Test
    void asingleOverlappingPairIsFound() {
        List<Write> h = List.of(w("n1", 1, 0, 2), w("n1", 1, 10, 30), w("n2", 2, 29, 31), w("n2", 2, 40, 42));
        assertThat(SplitBrainDetector.overlaps(h, 10)).hasSize(1);
        List<Write> touching = List.of(w("n1", 1, 0, 2), w("n1", 1, 10, 30), w("n2", 2, 30, 31));
        assertThat(SplitBrainDetector.overlaps(touching, 10)).isEmpty();
    }

    @Test
    void alternatingWritesOnAnOldTimelineAreStaleEvenWithoutOverlap() {
        // Strictly alternating, never in flight together: the overlap rule alone would miss it.
        List<Write> h = List.of(w("n1", 1, 0, 2), w("n2", 2, 10, 12), w("n1", 1, 20, 22), w("n2", 2, 30, 32));
        assertThat(SplitBrainDetector.overlaps(h, 10)).isEmpty();
        List<SplitBrainDetector.Finding> f = SplitBrainDetector.staleTimelines(h, 10);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).b().id()).isEqualTo(3);
    }

    @Test
    void twoNodesOnOneTimelineAreTwoHistories() {
        List<Write> h = List.of(w("n1", 2, 0, 2), w("n2", 2, 10, 12));
        assertThat(SplitBrainDetector.sharedTimelines(h, 10)).hasSize(1);
        assertThat(SplitBrainDetector.check(h, 10)).extracting(SplitBrainDetector.Finding::rule).containsExactly("shared timeline");
    }
}
