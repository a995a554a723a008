package io.pgha.config;

import java.util.Locale;
import java.util.Optional;

/** {@code watchdog.mode}. */
public enum WatchdogMode {
    /** No watchdog. */
    OFF,
    /** Use a watchdog when the device can be opened; run without one otherwise. */
    AUTOMATIC,
    /** Never become leader without a working watchdog. */
    REQUIRED;

    /**
     * Accepts Patroni's spellings. Boolean false is OFF because YAML 1.1 reads a bare {@code off} as
     * false; boolean true is refused because it does not say which of automatic/required is meant.
     */
    static Optional<WatchdogMode> read(Node n) {
        Object v = n.value();
        if (v == null) {
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(v)) {
            return Optional.of(OFF);
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "off", "disable", "disabled":
                    return Optional.of(OFF);
                case "automatic", "auto":
                    return Optional.of(AUTOMATIC);
                case "required", "require":
                    return Optional.of(REQUIRED);
                default:
                    break;
            }
        }
        String hint = Boolean.TRUE.equals(v) ? " (true is ambiguous: write automatic or required)" : "";
        n.problem("expected one of off, automatic, required, got " + Values.describe(v) + hint);
        return Optional.empty();
    }
}
