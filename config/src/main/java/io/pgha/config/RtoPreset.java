package io.pgha.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code rto} preset: one word that sets every timing which bounds failover time together, so
 * they stay consistent. Explicit values in the dynamic config override single entries.
 * Each satisfies every {@link Timing} rule, with or without a watchdog.
 */
public enum RtoPreset {
    FAST(3, 1, 1, 1, 3, new HaproxyCheckTiming(Duration.ofMillis(1000), Duration.ofMillis(500), Duration.ofMillis(1000), 2, 2)),
    NORM(8, 2, 3, 2, 10, new HaproxyCheckTiming(Duration.ofMillis(2000), Duration.ofMillis(1000), Duration.ofMillis(2000), 3, 3)),
    SAFE(30, 5, 10, 5, 30, new HaproxyCheckTiming(Duration.ofMillis(3000), Duration.ofMillis(1500), Duration.ofMillis(3000), 3, 3));

    public static final RtoPreset DEFAULT = NORM;

    private final Duration ttl;
    private final Duration loopWait;
    private final Duration retryTimeout;
    private final Duration safetyMargin;
    private final Duration primaryStartTimeout;
    private final HaproxyCheckTiming haproxy;

    RtoPreset(int ttl, int loopWait, int retryTimeout, int safetyMargin, int primaryStartTimeout, HaproxyCheckTiming haproxy) {
        this.ttl = Duration.ofSeconds(ttl);
        this.loopWait = Duration.ofSeconds(loopWait);
        this.retryTimeout = Duration.ofSeconds(retryTimeout);
        this.safetyMargin = Duration.ofSeconds(safetyMargin);
        this.primaryStartTimeout = Duration.ofSeconds(primaryStartTimeout);
        this.haproxy = haproxy;
    }

    /** The word used in YAML and JSON: fast, norm, safe. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration loopWait() {
        return loopWait;
    }

    public Duration retryTimeout() {
        return retryTimeout;
    }

    public Duration safetyMargin() {
        return safetyMargin;
    }

    public Duration primaryStartTimeout() {
        return primaryStartTimeout;
    }

    public HaproxyCheckTiming haproxy() {
        return haproxy;
    }

    /** The preset's values with nothing overridden. */
    public Timing timing() {
        return new Timing(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout);
    }

    public static Optional<RtoPreset> ofKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }

    static Optional<RtoPreset> read(Node n) {
        return n.oneOf("fast", "norm", "safe").flatMap(RtoPreset::ofKey);
    }
}
