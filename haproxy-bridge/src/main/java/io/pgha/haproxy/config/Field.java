package io.pgha.haproxy.config;

import io.pgha.config.ConfigProblem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One value of the {@code haproxy} section with its path ({@code haproxy.services[1].port}). A value
 * of the wrong type is recorded as a problem naming the path and reads as absent, so one pass finds
 * every problem (the dcs module's reader works the same way; its helpers are package-private there).
 */
final class Field {
    private final String path;
    private final Object value;
    private final List<ConfigProblem> problems;

    Field(String path, Object value, List<ConfigProblem> problems) {
        this.path = path;
        this.value = value;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    Object value() {
        return value;
    }

    boolean isPresent() {
        return value != null;
    }

    void problem(String message) {
        problems.add(new ConfigProblem(path, message));
    }

    Field get(String key) {
        return new Field(path + "." + key, value instanceof Map<?, ?> m ? m.get(key) : null, problems);
    }

    /** Reports every key outside {@code known}; false (and a problem) when this is not a mapping. */
    boolean mapping(List<String> known) {
        if (value == null) {
            return true;
        }
        if (!(value instanceof Map<?, ?> m)) {
            problem("expected a mapping, got " + describe(value));
            return false;
        }
        for (Object k : m.keySet()) {
            String key = String.valueOf(k);
            if (!known.contains(key)) {
                new Field(path + "." + key, m.get(k), problems).problem("unknown key; expected one of " + String.join(", ", known));
            }
        }
        return true;
    }

    List<Field> items() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            problem("expected a list, got " + describe(value));
            return List.of();
        }
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(new Field(path + "[" + i + "]", l.get(i), problems));
        }
        return out;
    }

    Optional<String> string() {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            problem("expected a string, got " + describe(value) + (value instanceof Number ? " (quote it)" : ""));
            return Optional.empty();
        }
        if (s.isBlank()) {
            problem("must not be empty");
            return Optional.empty();
        }
        if (s.contains("\n") || s.contains("\r")) {
            problem("must be one line");
            return Optional.empty();
        }
        return Optional.of(s.trim());
    }

    Optional<Boolean> bool() {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        problem("expected true or false, got " + describe(value));
        return Optional.empty();
    }

    /** A whole number within {@code [min, max]}. */
    Optional<Integer> integer(int min, int max) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            problem("expected an integer, got " + describe(value));
            return Optional.empty();
        }
        long n = ((Number) value).longValue();
        if (n < min || n > max) {
            problem("must be between " + min + " and " + max + " (got " + n + ")");
            return Optional.empty();
        }
        return Optional.of((int) n);
    }

    /** Seconds, whole or decimal ({@code 0.5}), at least {@code min}; HAProxy counts in milliseconds. */
    Optional<Duration> seconds(Duration min) {
        if (value == null) {
            return Optional.empty();
        }
        BigDecimal s;
        if (value instanceof Integer || value instanceof Long) {
            s = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            s = BigDecimal.valueOf(d);
        } else {
            problem("expected a number of seconds, got " + describe(value));
            return Optional.empty();
        }
        if (s.compareTo(BigDecimal.valueOf(86_400)) > 0) {
            problem("must be at most 86400 seconds (got " + s.toPlainString() + ")");
            return Optional.empty();
        }
        Duration d = Duration.ofMillis(s.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue());
        if (d.compareTo(min) < 0) {
            problem("must be at least " + min.toMillis() / 1000.0 + " seconds (got " + s.toPlainString() + ")");
            return Optional.empty();
        }
        return Optional.of(d);
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v.toString();
    }
}
