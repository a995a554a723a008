package io.pgha.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A position in a parsed YAML/JSON tree together with its path ({@code postgresql.authentication.superuser})
 * and the problem collector. Readers ask for typed values; a value of the wrong type is recorded as a
 * problem and read as absent, so one pass finds every problem and no input can raise a
 * ClassCastException. Absent and null are the same thing, as in Patroni.
 */
public final class Node {
    private final String path;
    private final Object value;
    private final Problems problems;

    private Node(String path, Object value, Problems problems) {
        this.path = path;
        this.value = value;
        this.problems = problems;
    }

    /** The top of a tree whose paths start with {@code prefix} ("" for none, "config", "bootstrap.dcs"). */
    public static Node root(Object value, String prefix, Problems problems) {
        return new Node(prefix, Values.plain(value), problems);
    }

    public String path() {
        return path;
    }

    public Object value() {
        return value;
    }

    public Problems problems() {
        return problems;
    }

    public boolean isPresent() {
        return value != null;
    }

    public void problem(String message) {
        problems.add(path.isEmpty() ? "(root)" : path, message);
    }

    public String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value under {@code key}; absent when this node is absent or not a mapping. */
    public Node get(String key) {
        Object child = value instanceof Map<?, ?> m ? m.get(key) : null;
        return new Node(childPath(key), child, problems);
    }

    /** Reports a missing value; returns this node so a typed read can follow. */
    public Node required() {
        return required("");
    }

    public Node required(String hint) {
        if (value == null) {
            problem(hint.isEmpty() ? "required" : "required (" + hint + ")");
        }
        return this;
    }

    /**
     * Checks this node is a mapping holding only {@code keys}, reporting each other key. Returns
     * whether its children can be read: true when absent (they read as absent too) or a mapping,
     * false when some other value stands here.
     */
    public boolean mapping(Keys keys) {
        if (!mapping()) {
            return false;
        }
        for (String key : keys()) {
            Optional<String> complaint = keys.complaint(key);
            complaint.ifPresent(c -> problems.add(childPath(key), c));
        }
        return true;
    }

    /** Like {@link #mapping(Keys)} for mappings whose keys are free (GUCs, custom tags). */
    public boolean mapping() {
        if (value == null || value instanceof Map<?, ?>) {
            return true;
        }
        problem("expected a mapping, got " + Values.describe(value));
        return false;
    }

    public List<String> keys() {
        return value instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : List.of();
    }

    /** Children in file order; empty unless this is a mapping. */
    public Map<String, Node> entries() {
        Map<String, Node> out = new LinkedHashMap<>();
        for (String key : keys()) {
            out.put(key, get(key));
        }
        return out;
    }

    /** Items of a list; a non-list is reported and reads as empty. */
    public List<Node> items() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            problem("expected a list, got " + Values.describe(value));
            return List.of();
        }
        List<Node> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(new Node(path + "[" + i + "]", l.get(i), problems));
        }
        return out;
    }

    /** A node standing for one element of a value this reader split itself (a comma-separated list). */
    public Node element(int index, Object elementValue) {
        return new Node(path + "[" + index + "]", elementValue, problems);
    }

    /** A non-empty string. Numbers are not turned into strings: {@code password: 0123} is 83 in YAML 1.1. */
    public Optional<String> string() {
        return text("a string", value instanceof Number || value instanceof Boolean ? " (quote it to use it as text)" : "");
    }

    /** A non-empty string; {@code expected} names what belongs here in the type error. */
    private Optional<String> text(String expected, String hint) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            problem("expected " + expected + ", got " + Values.describe(value) + hint);
            return Optional.empty();
        }
        if (s.isBlank()) {
            problem("must not be empty");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public Optional<Boolean> bool() {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        problem("expected true or false, got " + Values.describe(value));
        return Optional.empty();
    }

    public boolean bool(boolean fallback) {
        return bool().orElse(fallback);
    }

    /** A whole number no smaller than {@code min}. */
    public Optional<Long> integer(long min) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<Long> n = exactLong(value);
        if (n.isEmpty()) {
            problem("expected an integer, got " + Values.describe(value));
            return Optional.empty();
        }
        if (n.get() < min) {
            problem("must be ≥ " + min + " (got " + n.get() + ")");
            return Optional.empty();
        }
        return n;
    }

    /** Like {@link #integer(long)}, within int range. */
    public Optional<Integer> intValue(int min) {
        Optional<Long> n = integer(min);
        if (n.isPresent() && n.get() > Integer.MAX_VALUE) {
            problem("must be ≤ " + Integer.MAX_VALUE + " (got " + n.get() + ")");
            return Optional.empty();
        }
        return n.map(Long::intValue);
    }

    private static Optional<Long> exactLong(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return Optional.of(((Number) v).longValue());
        }
        try {
            if (v instanceof BigInteger b) {
                return Optional.of(b.longValueExact());
            }
            if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
                return Optional.of(BigDecimal.valueOf(d).longValueExact());
            }
            if (v instanceof BigDecimal d) {
                return Optional.of(d.longValueExact());
            }
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Seconds as an integer or decimal ({@code 0.5}); sign is checked by the caller's rule. */
    public Optional<Duration> seconds() {
        if (value == null) {
            return Optional.empty();
        }
        BigDecimal s = null;
        if (value instanceof Integer || value instanceof Long) {
            s = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger b) {
            s = new BigDecimal(b);
        } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            s = BigDecimal.valueOf(d);
        } else if (value instanceof BigDecimal d) {
            s = d;
        }
        if (s == null) {
            problem("expected a number of seconds, got " + Values.describe(value));
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofNanos(s.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact()));
        } catch (ArithmeticException e) {
            problem("out of range (got " + Values.describe(value) + " seconds)");
            return Optional.empty();
        }
    }

    /** Seconds that must not be negative. */
    public Optional<Duration> nonNegativeSeconds() {
        Optional<Duration> d = seconds();
        if (d.isPresent() && d.get().isNegative()) {
            problem("must be ≥ 0 (got " + Seconds.format(d.get()) + ")");
            return Optional.empty();
        }
        return d;
    }

    /** Seconds that must be greater than zero. */
    public Optional<Duration> positiveSeconds() {
        Optional<Duration> d = seconds();
        if (d.isPresent() && (d.get().isNegative() || d.get().isZero())) {
            problem("must be > 0 (got " + Seconds.format(d.get()) + ")");
            return Optional.empty();
        }
        return d;
    }

    public Optional<HostPort> hostPort() {
        return text("host:port", "").flatMap(s -> {
            Optional<HostPort> hp = HostPort.parse(s.trim());
            if (hp.isEmpty()) {
                problem("expected host:port, got " + Values.describe(s));
            }
            return hp;
        });
    }

    public Optional<HostPort> listenAddress() {
        return text("host:port", "").flatMap(s -> {
            Optional<HostPort> hp = HostPort.parseListen(s.trim());
            if (hp.isEmpty()) {
                problem("expected host:port (host may be * or a comma-separated list), got " + Values.describe(s));
            }
            return hp;
        });
    }

    public Optional<Path> filePath() {
        return string().flatMap(s -> {
            try {
                return Optional.of(Path.of(s));
            } catch (InvalidPathException e) {
                problem("not a valid path: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    public Optional<Path> absolutePath() {
        return filePath().flatMap(p -> {
            if (!p.isAbsolute()) {
                problem("must be an absolute path, got " + Values.describe(p.toString()));
                return Optional.empty();
            }
            return Optional.of(p);
        });
    }

    /** One of {@code choices}, compared exactly; the message lists them. */
    public Optional<String> oneOf(String... choices) {
        return text("one of " + String.join(", ", choices), "").flatMap(s -> {
            for (String c : choices) {
                if (c.equals(s)) {
                    return Optional.of(c);
                }
            }
            problem("expected one of " + String.join(", ", choices) + ", got " + Values.describe(s));
            return Optional.empty();
        });
    }

    /** A list of non-empty strings. */
    public List<String> strings() {
        List<String> out = new ArrayList<>();
        for (Node item : items()) {
            item.required().string().ifPresent(out::add);
        }
        return out;
    }
}
