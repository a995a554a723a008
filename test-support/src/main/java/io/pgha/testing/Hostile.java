package io.pgha.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generators for the property tests of every reader of outside input (pgha.yml, DCS values, REST
 * bodies): plausible trees of the wrong shape, and valid texts with a few characters broken.
 */
public final class Hostile {
    /** The characters that change what JSON or YAML means; mutations favour them. */
    private static final String SYNTAX = "{}[]\":,-#&*!|>'%@`\\ \t\n0123456789.eE+truefalsn";

    private Hostile() {
    }

    /** Strings, numbers of every kind, booleans and null: what a JSON or YAML scalar can hold. */
    public static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.of("", "true", "10s", "-1", "1e309", "NaN", "0x10", "primary", "None", "\u0000").map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1).map(n -> (Object) n),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
    }

    /** A tree of maps and lists up to {@code depth} deep, keys drawn from {@code keys} or made up. */
    public static Arbitrary<Object> tree(List<String> keys, int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<Object> child = tree(keys, depth - 1);
        Arbitrary<String> key = keys.isEmpty() ? Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                : Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
        Arbitrary<Object> list = child.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(key, child).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalar()),
                Tuple.of(1, list),
                Tuple.of(2, map));
    }

    /** A map at the root, as every reader expects. */
    @SuppressWarnings("unchecked")
    public static Arbitrary<Map<String, Object>> object(List<String> keys, int depth) {
        return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.strings().alpha().ofMaxLength(8)), tree(keys, depth - 1))
                .ofMaxSize(8).map(m -> (Map<String, Object>) (Map<?, ?>) new LinkedHashMap<>(m));
    }

    /** {@code valid} with one to four characters inserted, deleted or replaced, favouring syntax characters. */
    public static Arbitrary<String> mutated(String valid) {
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, Math.max(0, valid.length() - 1)),
                Arbitraries.oneOf(Arbitraries.of(SYNTAX.chars().mapToObj(c -> (char) c).toList()), Arbitraries.chars()))
                .as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            StringBuilder b = new StringBuilder(valid);
            for (Edit e : edits) {
                e.apply(b);
            }
            return b.toString();
        });
    }

    private record Edit(int kind, int at, char c) {
        void apply(StringBuilder b) {
            int i = Math.min(at, b.length());
            if (kind == 0 || b.length() == 0 || i == b.length()) {
                b.insert(i, c);
            } else if (kind == 1) {
                b.deleteCharAt(i);
            } else {
                b.setCharAt(i, c);
            }
        }
    }
}
