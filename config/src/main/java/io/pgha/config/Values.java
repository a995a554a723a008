package io.pgha.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Helpers for the loosely typed trees that YAML and JSON parsers hand us. */
public final class Values {
    private static final int MAX_QUOTED = 60;

    private Values() {
    }

    /** How a value reads in an error message: strings quoted, containers by kind. */
    public static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
            return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        if (v instanceof Boolean || v instanceof Number) {
            return v.toString();
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof Set<?>) {
            return "a set";
        }
        if (v instanceof Date) {
            // YAML 1.1 reads 2024-01-01 as a timestamp; quoting keeps it text.
            return "a timestamp (quote it to use it as text)";
        }
        if (v instanceof byte[]) {
            return "binary data";
        }
        return "a " + v.getClass().getSimpleName();
    }

    /**
     * A mutable copy with string keys and plain Map/List containers, whatever parser produced it
     * (Vert.x JSON wraps containers in JsonObject/JsonArray, YAML may use non-string keys).
     */
    public static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plain(o.getMap());
        }
        if (v instanceof JsonArray a) {
            return plain(a.getList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), plain(val)));
            return copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        return v;
    }

    /** Whether a container holds itself, which a YAML alias can do ({@code a: &x [*x]}). */
    public static boolean isRecursive(Object v) {
        return isRecursive(v, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean isRecursive(Object v, Set<Object> enclosing) {
        Collection<?> children;
        if (v instanceof Map<?, ?> m) {
            children = m.values();
        } else if (v instanceof Collection<?> c) {
            children = c;
        } else {
            return false;
        }
        if (!enclosing.add(v)) {
            return true;
        }
        for (Object child : children) {
            if (isRecursive(child, enclosing)) {
                return true;
            }
        }
        enclosing.remove(v);
        return false;
    }

    /** A deep, unmodifiable copy that keeps key order and tolerates null values (Map.copyOf does neither). */
    public static Object immutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), immutable(val)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(item -> copy.add(immutable(item)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> immutableMap(Map<String, Object> m) {
        return (Map<String, Object>) immutable(m);
    }

    /** Empty when {@code v} can be written as JSON; otherwise the first offending value, described. */
    public static Optional<String> notJson(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof BigInteger || v instanceof BigDecimal) {
            return Optional.empty();
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? Optional.of(d.toString()) : Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            for (Object item : m.values()) {
                Optional<String> bad = notJson(item);
                if (bad.isPresent()) {
                    return bad;
                }
            }
            return Optional.empty();
        }
        if (v instanceof List<?> l) {
            for (Object item : l) {
                Optional<String> bad = notJson(item);
                if (bad.isPresent()) {
                    return bad;
                }
            }
            return Optional.empty();
        }
        return Optional.of(describe(v));
    }

    /**
     * A scalar as PostgreSQL wants it in a GUC or an initdb option: booleans as on/off (as Patroni
     * writes them), numbers without exponent. Empty for anything that is not a scalar.
     */
    public static Optional<String> scalarText(Object v) {
        if (v instanceof String s) {
            return Optional.of(s);
        }
        if (v instanceof Boolean b) {
            return Optional.of(b ? "on" : "off");
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            return Optional.of(v.toString());
        }
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
        if (v instanceof BigDecimal d) {
            return Optional.of(d.stripTrailingZeros().toPlainString());
        }
        return Optional.empty();
    }
}
