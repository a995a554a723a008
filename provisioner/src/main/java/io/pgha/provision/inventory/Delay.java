package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.Values;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pg_delay} in PostgreSQL's own units ({@code 10s}, {@code 30min}, {@code 1h}, {@code 1d}), as
 * Pigsty passes it to {@code recovery_min_apply_delay}; a bare number is milliseconds, as there.
 */
final class Delay {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(us|ms|s|min|h|d)?");

    private Delay() {
    }

    /** Empty for no delay (absent or zero). */
    static Optional<Duration> read(Node n) {
        if (!n.isPresent()) {
            return Optional.empty();
        }
        Object v = n.value();
        String text = v instanceof String s ? s.trim() : Read.whole(v).map(String::valueOf).orElse(null);
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            n.problem("expected a delay such as 10s, 30min, 1h or 1d (units us, ms, s, min, h, d), got " + Values.describe(v));
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d = switch (unit) {
            case "us" -> Duration.ofNanos(amount * 1000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        return d.isZero() ? Optional.empty() : Optional.of(d);
    }
}
