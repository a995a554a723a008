package io.pgha.ctl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Members ordered as a replication tree: the leader, then each member under the one it replicates
 * from (its {@code replicatefrom} tag, else the leader). Members that hang from nothing reachable —
 * no leader, or an upstream chain that loops — are listed last at the top level, not dropped.
 */
final class Topology {
    /** A member and how deep it sits below the leader (the leader is 0). */
    record Node(MemberRow member, int depth) {
        String indentedName() {
            return depth == 0 ? member.name() : "  ".repeat(depth - 1) + "+ " + member.name();
        }
    }

    private Topology() {
    }

    static List<Node> of(ClusterView view) {
        List<Node> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        view.leaderRow().ifPresent(l -> place(view, l, 0, out, placed));
        for (MemberRow m : view.members()) {
            if (!placed.contains(m.name())) {
                place(view, m, 0, out, placed);
            }
        }
        return out;
    }

    private static void place(ClusterView view, MemberRow m, int depth, List<Node> out, Set<String> placed) {
        out.add(new Node(m, depth));
        placed.add(m.name());
        for (MemberRow child : view.members()) {
            if (!placed.contains(child.name()) && child.upstream().equals(Optional.of(m.name()))) {
                place(view, child, depth + 1, out, placed);
            }
        }
    }
}
