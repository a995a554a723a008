package io.pgha.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and edits a parsed YAML tree by the dotted paths the config reader names its problems with. */
final class TreePaths {
    private TreePaths() {
    }

    static Optional<Object> get(Map<String, Object> tree, String path) {
        Object at = tree;
        for (String key : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return Optional.empty();
            }
            at = m.get(key);
        }
        return Optional.ofNullable(at);
    }

    /** Removes the key at {@code path}; false when no mapping holds it (a list element, or nothing there). */
    static boolean remove(Map<String, Object> tree, String path) {
        int dot = path.lastIndexOf('.');
        Optional<Map<String, Object>> parent = dot < 0 ? Optional.of(tree) : mapAt(tree, path.substring(0, dot));
        String key = path.substring(dot + 1);
        if (parent.isEmpty() || !parent.get().containsKey(key)) {
            return false;
        }
        parent.get().remove(key);
        return true;
    }

    /** Sets {@code path}, creating the mappings on the way. */
    static void put(Map<String, Object> tree, String path, Object value) {
        Map<String, Object> at = tree;
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length - 1; i++) {
            Object next = at.get(keys[i]);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                at.put(keys[i], next);
            }
            at = cast(next);
        }
        at.put(keys[keys.length - 1], value);
    }

    static Optional<Map<String, Object>> mapAt(Map<String, Object> tree, String path) {
        return get(tree, path).filter(v -> v instanceof Map<?, ?>).map(TreePaths::cast);
    }

    /** Every path that ends in a value rather than a mapping, in file order: what a report lists as carried. */
    static List<String> leaves(Map<String, Object> tree) {
        List<String> out = new ArrayList<>();
        leaves(tree, "", out);
        return out;
    }

    private static void leaves(Map<String, Object> m, String prefix, List<String> out) {
        m.forEach((k, v) -> {
            String path = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> child && !child.isEmpty() && !freeForm(path)) {
                leaves(cast(child), path, out);
            } else {
                out.add(path);
            }
        });
    }

    /** Mappings whose keys are the user's (GUCs, tags, users): listed as one entry, not key by key. */
    private static boolean freeForm(String path) {
        return path.endsWith(".parameters");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object m) {
        return (Map<String, Object>) m;
    }

    /** A mutable deep copy, so the conversion never edits what the caller parsed. */
    static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(copy(x)));
            return out;
        }
        return v;
    }
}
