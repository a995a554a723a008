package io.pgha.config;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations written as Patroni writes them: seconds, a decimal only when needed. */
public final class Seconds {
    private Seconds() {
    }

    public static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    /** For JSON: a whole number when possible, so {@code ttl} reads {@code 30} as in Patroni's key. */
    public static Number json(Duration d) {
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.getSeconds();
        }
        return d.toNanos() / 1e9;
    }
}
