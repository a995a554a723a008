package io.pgha.config;

import java.util.Locale;
import java.util.Optional;

/** {@code synchronous_mode}: Patroni writes false/true or the string "quorum". */
public enum SynchronousMode {
    OFF,
    ON,
    QUORUM;

    /** The JSON value Patroni writes for this mode. */
    Object toJson() {
        if (this == QUORUM) {
            return "quorum";
        }
        return this == ON;
    }

    static Optional<SynchronousMode> read(Node n) {
        Object v = n.value();
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b ? ON : OFF);
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "false", "off":
                    return Optional.of(OFF);
                case "true", "on":
                    return Optional.of(ON);
                case "quorum":
                    return Optional.of(QUORUM);
                default:
                    break;
            }
        }
        n.problem("expected false, true, on or quorum, got " + Values.describe(v));
        return Optional.empty();
    }
}
