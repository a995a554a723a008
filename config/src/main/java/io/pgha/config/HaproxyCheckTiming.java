package io.pgha.config;

import java.time.Duration;
import java.util.Objects;

/**
 * HAProxy {@code default-server} check settings an rto preset implies: {@code inter} between checks,
 * {@code fastinter} while a server is changing state, {@code downinter} while it is down, and how
 * many checks in a row ({@code rise}/{@code fall}) flip it.
 */
public record HaproxyCheckTiming(Duration inter, Duration fastinter, Duration downinter, int rise, int fall) {
    public HaproxyCheckTiming {
        Objects.requireNonNull(inter, "inter");
        Objects.requireNonNull(fastinter, "fastinter");
        Objects.requireNonNull(downinter, "downinter");
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be ≥ 1");
        }
    }
}
