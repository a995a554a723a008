package io.pgha.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a mapping may hold, and the Patroni keys we recognise but deliberately do not support,
 * so a migrated Patroni file gets "not supported by pgha" rather than a puzzling "unknown key".
 */
public record Keys(List<String> known, Map<String, String> unsupported) {
    public Keys {
        known = List.copyOf(known);
        unsupported = Map.copyOf(unsupported);
    }

    public static Keys of(String... known) {
        return new Keys(List.of(known), Map.of());
    }

    public Keys unsupported(String... keys) {
        Map<String, String> more = new LinkedHashMap<>(unsupported);
        for (String k : keys) {
            more.put(k, "");
        }
        return new Keys(known, more);
    }

    public Keys unsupported(String key, String hint) {
        Map<String, String> more = new LinkedHashMap<>(unsupported);
        more.put(key, hint);
        return new Keys(known, more);
    }

    /** Empty for a known key; otherwise what to tell the operator about it. */
    public Optional<String> complaint(String key) {
        if (known.contains(key)) {
            return Optional.empty();
        }
        String hint = unsupported.get(key);
        if (hint != null) {
            return Optional.of(hint.isEmpty() ? "not supported by pgha" : "not supported by pgha (" + hint + ")");
        }
        return Optional.of(Suggest.closest(key, known)
                .map(s -> "unknown key (did you mean " + s + "?)")
                .orElse("unknown key (expected one of: " + String.join(", ", known) + ")"));
    }
}
