package io.pgha.sim;

import java.util.Locale;

/** A fault that starts at {@code atNanos} and heals {@code lastsNanos} later (simulated time). */
public record ScheduledFault(long atNanos, long lastsNanos, Fault fault) {
    public long healsAtNanos() {
        return atNanos + lastsNanos;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "at %8.3f s for %6.3f s: %s", atNanos / 1e9, lastsNanos / 1e9, fault);
    }
}
