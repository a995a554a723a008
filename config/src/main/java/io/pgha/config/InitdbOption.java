package io.pgha.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** One initdb option in Patroni's form: {@code data-checksums} or {@code {encoding: UTF8}}. */
public record InitdbOption(String name, Optional<String> value) {
    public static final List<InitdbOption> DEFAULTS = List.of(
            new InitdbOption("data-checksums", Optional.empty()),
            new InitdbOption("encoding", Optional.of("UTF8")),
            new InitdbOption("locale", Optional.of("C")));

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** pgha sets these itself (data directory, durable writes, superuser password), as Patroni does. */
    private static final Set<String> RESERVED = Set.of("pgdata", "nosync", "pwfile", "sync-only", "version");

    public InitdbOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** {@code --data-checksums} or {@code --encoding=UTF8}. */
    public String toArgument() {
        return "--" + name + value.map(v -> "=" + v).orElse("");
    }

    /** Null when absent (the caller picks the default) or when there were problems. */
    static List<InitdbOption> read(Node n) {
        if (!n.isPresent()) {
            return null;
        }
        int mark = n.problems().mark();
        List<InitdbOption> out = new ArrayList<>();
        for (Node item : n.items()) {
            option(item).ifPresent(out::add);
        }
        return n.problems().addedSince(mark) ? null : out;
    }

    private static Optional<InitdbOption> option(Node item) {
        String name;
        Optional<String> value = Optional.empty();
        if (item.value() instanceof Map<?, ?> m) {
            if (m.size() != 1) {
                item.problem("expected one option per item, like {encoding: UTF8}, got " + m.size() + " keys");
                return Optional.empty();
            }
            name = m.keySet().iterator().next().toString();
            Node v = item.get(name);
            value = Values.scalarText(v.value());
            if (value.isEmpty()) {
                v.problem("expected a scalar value, got " + Values.describe(v.value()));
                return Optional.empty();
            }
        } else {
            Optional<String> s = item.required().string();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            name = s.get();
        }
        if (!NAME.matcher(name).matches()) {
            item.problem("expected an initdb long option name like data-checksums, got " + Values.describe(name));
            return Optional.empty();
        }
        if (RESERVED.contains(name)) {
            item.problem(name + " is set by pgha and may not be given");
            return Optional.empty();
        }
        return Optional.of(new InitdbOption(name, value));
    }
}
