package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.List;

/**
 * Where a key's value comes from, most specific first, as Ansible merges them: host vars over
 * group vars over all.vars. The node returned keeps the path of the place that set the value,
 * so a bad inherited value is reported where it was written.
 */
final class Scope {
    private final List<Node> levels;

    private Scope(List<Node> mostSpecificFirst) {
        this.levels = mostSpecificFirst;
    }

    static Scope of(Node... mostSpecificFirst) {
        return new Scope(List.of(mostSpecificFirst));
    }

    /** The value of {@code key}, or, when nobody sets it, an absent node at the most specific level. */
    Node get(String key) {
        for (Node level : levels) {
            Node n = level.get(key);
            if (n.isPresent()) {
                return n;
            }
        }
        return levels.get(0).get(key);
    }
}
