package io.pgha.node;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's failsafe mode as the REST API and the metrics show it.
 *
 * @param enabled         {@code failsafe_mode} in the DCS config
 * @param active          this node runs as primary without the DCS because every member in the
 *                        {@code failsafe} key acknowledged it (Patroni's {@code failsafe_mode_is_active})
 * @param activeUntilNanos while active: when the fence stops PostgreSQL unless the members acknowledge
 *                        again (monotonic clock)
 * @param members         the {@code failsafe} key of the last snapshot read ({@code name → api_url})
 */
public record FailsafeStatus(boolean enabled, boolean active, long activeUntilNanos, Map<String, String> members) {
    public static final FailsafeStatus OFF = new FailsafeStatus(false, false, 0, Map.of());

    public FailsafeStatus {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
    }

    /** Active, and the members' acknowledgements still let this node write at {@code nowNanos}. */
    public boolean activeAt(long nowNanos) {
        return active && activeUntilNanos - nowNanos > 0;
    }
}
