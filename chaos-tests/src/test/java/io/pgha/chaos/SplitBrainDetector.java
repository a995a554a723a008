package io.pgha.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds evidence of two primaries in a history of acknowledged writes. Each rule is proof, not
 * suspicion, so any finding is a split brain:
 * <ol>
 *   <li><b>overlap</b>: two nodes acknowledged writes whose [sent, acked] intervals overlap, so
 *       both were accepting writes at the same time (a failover takes at least a lease ttl, far
 *       longer than a write's round trip);</li>
 *   <li><b>shared timeline</b>: two nodes acknowledged writes on the same timeline; only the node
 *       that promoted to a timeline ever writes on it, so these are two diverging histories;</li>
 *   <li><b>stale timeline</b>: a write was sent after a write on a higher timeline had been
 *       acknowledged, and was itself acknowledged on a lower timeline: a node kept writing on a
 *       history the cluster had already left.</li>
 * </ol>
 */
public final class SplitBrainDetector {
    public record Finding(String rule, Write a, Write b) {
        @Override
        public String toString() {
            return rule + ": id " + a.id() + " on " + a.node() + " tl " + a.timeline() + " [" + a.sentUs() + ", " + a.ackedUs() + "] µs"
                    + " vs id " + b.id() + " on " + b.node() + " tl " + b.timeline() + " [" + b.sentUs() + ", " + b.ackedUs() + "] µs";
        }
    }

    private SplitBrainDetector() {
    }

    /** All rules; at most {@code limit} findings per rule. */
    public static List<Finding> check(List<Write> history, int limit) {
        List<Finding> out = new ArrayList<>();
        out.addAll(overlaps(history, limit));
        out.addAll(sharedTimelines(history, limit));
        out.addAll(staleTimelines(history, limit));
        return out;
    }

    static List<Finding> overlaps(List<Write> history, int limit) {
        List<Finding> out = new ArrayList<>();
        List<Write> bySent = new ArrayList<>(history);
        bySent.sort(Comparator.comparingLong(Write::sentUs));
        // Per node, the write sent so far that is acknowledged last: a later-sent write of another
        // node overlaps some earlier one exactly when it starts before that one's acknowledgement.
        Map<String, Write> latestAck = new HashMap<>();
        for (Write w : bySent) {
            for (Write other : latestAck.values()) {
                if (!other.node().equals(w.node()) && other.ackedUs() > w.sentUs() && out.size() < limit) {
                    out.add(new Finding("overlap", other, w));
                }
            }
            latestAck.merge(w.node(), w, (a, b) -> a.ackedUs() >= b.ackedUs() ? a : b);
        }
        return out;
    }

    static List<Finding> sharedTimelines(List<Write> history, int limit) {
        List<Finding> out = new ArrayList<>();
        Map<Integer, Write> firstOnTimeline = new TreeMap<>();
        for (Write w : history) {
            Write first = firstOnTimeline.putIfAbsent(w.timeline(), w);
            if (first != null && !first.node().equals(w.node()) && out.size() < limit
                    && out.stream().noneMatch(f -> f.a().timeline() == w.timeline() && f.b().node().equals(w.node()))) {
                out.add(new Finding("shared timeline", first, w));
            }
        }
        return out;
    }

    static List<Finding> staleTimelines(List<Write> history, int limit) {
        List<Finding> out = new ArrayList<>();
        List<Write> bySent = new ArrayList<>(history);
        bySent.sort(Comparator.comparingLong(Write::sentUs));
        List<Write> byAck = new ArrayList<>(history);
        byAck.sort(Comparator.comparingLong(Write::ackedUs));
        int next = 0;
        Write highest = null; // the highest-timeline write acknowledged before the current one was sent
        for (Write w : bySent) {
            while (next < byAck.size() && byAck.get(next).ackedUs() < w.sentUs()) {
                Write a = byAck.get(next++);
                if (highest == null || a.timeline() > highest.timeline()) {
                    highest = a;
                }
            }
            if (highest != null && w.timeline() < highest.timeline() && out.size() < limit) {
                out.add(new Finding("stale timeline", highest, w));
            }
        }
        return out;
    }

    /** The nodes that acknowledged writes, for messages. */
    static TreeSet<String> nodes(List<Write> history) {
        TreeSet<String> s = new TreeSet<>();
        history.forEach(w -> s.add(w.node()));
        return s;
    }
}
