package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Typed reads of inventory values, each reporting a wrong value at its node with what belongs there. */
final class Read {
    private Read() {
    }

    static Optional<Integer> positiveInt(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        Optional<Long> v = whole(n.value());
        if (v.isEmpty() || v.get() < 1 || v.get() > Integer.MAX_VALUE) {
            n.problem("expected a positive integer, got " + Values.describe(n.value()));
            return Optional.empty();
        }
        return Optional.of(v.get().intValue());
    }

    static Optional<Integer> port(Node n) {
        return intIn(n, 1, 65535, "a port number 1..65535");
    }

    static Optional<Integer> intIn(Node n, long min, long max, String what) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        Optional<Long> v = whole(n.value());
        if (v.isEmpty() || v.get() < min || v.get() > max) {
            n.problem("expected " + what + ", got " + Values.describe(n.value()));
            return Optional.empty();
        }
        return Optional.of(v.get().intValue());
    }

    static Optional<Long> nonNegativeLong(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        Optional<Long> v = whole(n.value());
        if (v.isEmpty() || v.get() < 0) {
            n.problem("expected a whole number ≥ 0, got " + Values.describe(n.value()));
            return Optional.empty();
        }
        return v;
    }

    static Optional<Long> whole(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return Optional.of(b.longValue());
        }
        return Optional.empty();
    }

    /** A string that {@code ok} accepts; otherwise "expected {@code expected}, got …". */
    static Optional<String> matching(Node n, Predicate<String> ok, String expected) {
        return n.string().filter(s -> {
            if (!ok.test(s)) {
                n.problem("expected " + expected + ", got " + Values.describe(s));
                return false;
            }
            return true;
        });
    }

    /** A string that {@code parse} knows, such as an enum's key; otherwise "expected {@code expected}, got …". */
    static <T> Optional<T> choice(Node n, Function<String, Optional<T>> parse, String expected) {
        return n.string().flatMap(s -> {
            Optional<T> v = parse.apply(s);
            if (v.isEmpty()) {
                n.problem("expected " + expected + ", got " + Values.describe(s));
            }
            return v;
        });
    }

    /**
     * A password. Unlike every other value, a wrong one is not quoted back: problems are printed,
     * and {@code password: 123456} is a number in YAML but still somebody's password.
     */
    static Optional<Secret> secret(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        if (!(n.value() instanceof String s)) {
            n.problem("expected a string (quote it; the value is not shown here)");
            return Optional.empty();
        }
        if (s.isEmpty()) {
            n.problem("must not be empty");
            return Optional.empty();
        }
        return Optional.of(new Secret(s));
    }

    static boolean bool(Node n, boolean fallback) {
        return n.bool().orElse(fallback);
    }
}
