package io.pgha.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code edit-config}'s flags do to the config, in order: {@code --apply} (a JSON merge patch
 * in YAML: null deletes), then each {@code --set path=value}, then each {@code --pg name=value}
 * (a PostgreSQL parameter; its name is taken whole, dots included). Values are YAML, so
 * {@code ttl=10} is a number and {@code pause=null} deletes.
 */
final class ConfigChanges {
    private ConfigChanges() {
    }

    static Map<String, Object> apply(Map<String, Object> config, Map<String, Object> patch, List<String> sets, List<String> pgs) {
        Map<String, Object> out = merge(deepCopy(config), patch);
        for (String s : sets) {
            Assignment a = Assignment.parse(s, "--set");
            String[] path = a.name().split("\\.", -1);
            for (String p : path) {
                if (p.isEmpty()) {
                    throw CtlError.usage("--set " + s + ": empty key in path \"" + a.name() + "\"");
                }
            }
            setPath(out, List.of(path), a.value());
        }
        for (String s : pgs) {
            Assignment a = Assignment.parse(s, "--pg");
            setPath(out, List.of("postgresql", "parameters", a.name()), a.value());
        }
        return out;
    }

    record Assignment(String name, Object value) {
        static Assignment parse(String text, String option) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw CtlError.usage(option + " " + text + ": expected name=value");
            }
            String name = text.substring(0, eq).strip();
            return new Assignment(name, ConfigYaml.parseValue(text.substring(eq + 1), option + " " + name));
        }
    }

    /** RFC 7396 merge patch; neither argument is modified. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> out = deepCopy(target);
        patch.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else if (v instanceof Map<?, ?> p) {
                Object current = out.get(k);
                out.put(k, merge(current instanceof Map<?, ?> c ? (Map<String, Object>) c : new LinkedHashMap<>(), (Map<String, Object>) p));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> config, List<String> path, Object value) {
        Map<String, Object> level = config;
        for (String key : path.subList(0, path.size() - 1)) {
            Object next = level.get(key);
            if (!(next instanceof Map<?, ?>)) {
                if (value == null) {
                    return; // deleting below a key that is not there: nothing to do
                }
                next = new LinkedHashMap<String, Object>();
                level.put(key, next);
            }
            level = (Map<String, Object>) next;
        }
        String last = path.get(path.size() - 1);
        if (value == null) {
            level.remove(last);
        } else {
            level.put(last, value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? deepCopy((Map<String, Object>) inner)
                : v instanceof List<?> l ? new ArrayList<>(l) : v));
        return out;
    }
}
