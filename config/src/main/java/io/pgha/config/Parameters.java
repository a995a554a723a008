package io.pgha.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a {@code parameters} mapping of GUCs, keeping values as the text PostgreSQL will see. */
final class Parameters {
    private static final Pattern GUC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)*");

    private Parameters() {
    }

    /** Null values are skipped: in Patroni a null parameter means "not set". */
    static Map<String, String> read(Node n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!n.mapping()) {
            return Map.of();
        }
        n.entries().forEach((name, v) -> {
            if (!GUC_NAME.matcher(name).matches()) {
                v.problem("not a valid parameter name");
                return;
            }
            if (!v.isPresent()) {
                return;
            }
            Values.scalarText(v.value()).ifPresentOrElse(text -> out.put(name, text),
                    () -> v.problem("expected a scalar value, got " + Values.describe(v.value())));
        });
        return Collections.unmodifiableMap(out);
    }
}
