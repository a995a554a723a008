package io.pgha.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code watchdog} section. The device timeout is {@code ttl - safety_margin}: it fires when
 * the primary should already have fenced itself. Without an explicit {@code safety_margin} the
 * resolved {@link Timing#safetyMargin()} is used, so both fences agree.
 */
public record WatchdogConfig(WatchdogMode mode, Path device, Optional<Duration> safetyMargin) {
    public static final Path DEFAULT_DEVICE = Path.of("/dev/watchdog");
    public static final WatchdogConfig OFF = new WatchdogConfig(WatchdogMode.OFF, DEFAULT_DEVICE, Optional.empty());

    static final Keys KEYS = Keys.of("mode", "device", "safety_margin");

    public WatchdogConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
    }

    public Duration effectiveSafetyMargin(Timing timing) {
        return safetyMargin.orElse(timing.safetyMargin());
    }

    /** The timeout to program into the device. */
    public Duration timeout(Timing timing) {
        return timing.ttl().minus(effectiveSafetyMargin(timing));
    }

    static WatchdogConfig read(Node n) {
        int mark = n.problems().mark();
        if (!n.mapping(KEYS)) {
            return null;
        }
        WatchdogMode mode = WatchdogMode.read(n.get("mode")).orElse(WatchdogMode.OFF);
        Path device = n.get("device").absolutePath().orElse(DEFAULT_DEVICE);
        Node margin = n.get("safety_margin");
        Optional<Duration> safetyMargin = margin.seconds();
        if (safetyMargin.isPresent() && safetyMargin.get().isNegative()) {
            margin.problem("must be ≥ 0 (got " + Seconds.format(safetyMargin.get())
                    + "; Patroni's -1 meaning ttl/2 is not supported, give seconds)");
        }
        return n.problems().addedSince(mark) ? null : new WatchdogConfig(mode, device, safetyMargin);
    }
}
