package io.pgha.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code postgresql} object inside the dynamic config. {@code usePgRewind} is empty when the
 * cluster-wide config does not set it (the local {@code postgresql.use_pg_rewind} applies).
 * Keys pgha does not use (Patroni's pg_hba, recovery_conf, …) are kept in {@code extra} and written back.
 */
public record DynamicPostgresqlConfig(
        Optional<Boolean> usePgRewind,
        boolean useSlots,
        Map<String, String> parameters,
        Map<String, Object> extra) {

    public static final DynamicPostgresqlConfig DEFAULTS =
            new DynamicPostgresqlConfig(Optional.empty(), true, Map.of(), Map.of());

    static final List<String> KNOWN = List.of("use_pg_rewind", "use_slots", "parameters");

    public DynamicPostgresqlConfig {
        Objects.requireNonNull(usePgRewind, "usePgRewind");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        extra = Values.immutableMap(extra);
    }

    @Override
    public String toString() {
        return Redaction.describe(this);
    }

    Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        usePgRewind.ifPresent(b -> out.put("use_pg_rewind", b));
        out.put("use_slots", useSlots);
        out.put("parameters", new LinkedHashMap<>(parameters));
        out.putAll(extra);
        return out;
    }

    static DynamicPostgresqlConfig read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping()) {
            return null;
        }
        Optional<Boolean> rewind = n.get("use_pg_rewind").bool();
        boolean slots = n.get("use_slots").bool(true);
        Map<String, String> parameters = Parameters.read(n.get("parameters"));
        Map<String, Object> extra = DynamicConfig.extra(n, KNOWN);
        return n.problems().addedSince(mark) ? null : new DynamicPostgresqlConfig(rewind, slots, parameters, extra);
    }
}
