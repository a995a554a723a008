package io.pgha.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The timings that bound failover, resolved from the {@code rto} preset with explicit values
 * overriding. A Timing always satisfies the rules below; a combination that breaks one is rejected
 * with the rule and the numbers, never adjusted (Patroni lowers loop_wait with a warning instead).
 *
 * <ul>
 *   <li>{@code ttl ≥ 2}, whole seconds: etcd grants nothing shorter with its default election
 *       timeout, and only whole seconds.</li>
 *   <li>{@code loop_wait > 0}, {@code retry_timeout > 0}, {@code safety_margin ≥ 0},
 *       {@code primary_start_timeout ≥ 0}.</li>
 *   <li>{@code loop_wait + 2*retry_timeout ≤ ttl}: a primary that loses the DCS gives up (after
 *       retrying through one loop) before its lease can expire under it.</li>
 *   <li>{@code safety_margin < ttl - loop_wait}: the leader gets at least one renewal in before it
 *       fences itself.</li>
 *   <li>with a watchdog: its timeout {@code ttl - safety_margin} must be ≥ loop_wait, or it would
 *       fire between two healthy keepalives.</li>
 *   <li>with {@code failsafe_mode}: {@code failsafe_timeout} (explicit, or its default
 *       min(2 s, retry_timeout)) {@code < ttl - safety_margin}: the members' acknowledgements extend
 *       the primary's right to write to ttl after the round started, and it fences safety_margin
 *       before that, so a round that may take longer could never extend anything. An explicit
 *       value is checked also with failsafe_mode off, so that turning it on cannot fail.</li>
 * </ul>
 */
public record Timing(Duration ttl, Duration loopWait, Duration retryTimeout, Duration safetyMargin, Duration primaryStartTimeout) {
    private static final Duration MIN_TTL = Duration.ofSeconds(2);

    /** @throws ConfigException naming each broken rule */
    public Timing {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(loopWait, "loopWait");
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(primaryStartTimeout, "primaryStartTimeout");
        List<ConfigProblem> problems = check(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, "");
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The DCS {@code config} key's timing, without a watchdog; problems are named {@code config.<key>}. */
    public static Validated<Timing> resolve(DynamicConfig config) {
        return resolve(config, WatchdogConfig.OFF, "config");
    }

    /**
     * Resolves and checks; problems are named {@code <pathPrefix>.<key>}, and the watchdog rule
     * {@code watchdog.safety_margin} (the local file's key).
     */
    public static Validated<Timing> resolve(DynamicConfig config, WatchdogConfig watchdog, String pathPrefix) {
        RtoPreset preset = config.rto();
        Duration ttl = config.ttl().orElse(preset.ttl());
        Duration loopWait = config.loopWait().orElse(preset.loopWait());
        Duration retryTimeout = config.retryTimeout().orElse(preset.retryTimeout());
        Duration safetyMargin = config.safetyMargin().orElse(preset.safetyMargin());
        Duration primaryStartTimeout = config.primaryStartTimeout().orElse(preset.primaryStartTimeout());
        List<ConfigProblem> problems = check(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, pathPrefix);
        if (watchdog.mode() != WatchdogMode.OFF) {
            Duration margin = watchdog.safetyMargin().orElse(safetyMargin);
            if (ttl.minus(margin).compareTo(loopWait) < 0) {
                problems.add(new ConfigProblem("watchdog.safety_margin", "watchdog timeout ttl - safety_margin must be ≥ loop_wait ("
                        + s(ttl) + " - " + s(margin) + " < " + s(loopWait) + ")"));
            }
        }
        if (config.failsafeMode() || config.failsafeTimeout().isPresent()) {
            Duration failsafe = config.failsafeTimeout(retryTimeout);
            if (failsafe.compareTo(ttl.minus(safetyMargin)) >= 0) {
                String at = pathPrefix.isEmpty() ? "" : pathPrefix + ".";
                problems.add(new ConfigProblem(at + "failsafe_timeout", "must be < ttl - safety_margin: the members' "
                        + "acknowledgements last ttl from the start of the round and the leader fences safety_margin before that ("
                        + (config.failsafeTimeout().isPresent() ? "" : "default min(2, retry_timeout) = ") + s(failsafe) + " ≥ "
                        + s(ttl) + " - " + s(safetyMargin) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            return Validated.invalid(problems);
        }
        return Validated.valid(new Timing(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout));
    }

    private static List<ConfigProblem> check(Duration ttl, Duration loopWait, Duration retryTimeout, Duration safetyMargin,
                                             Duration primaryStartTimeout, String pathPrefix) {
        String at = pathPrefix.isEmpty() ? "" : pathPrefix + ".";
        List<ConfigProblem> out = new ArrayList<>();
        if (ttl.compareTo(MIN_TTL) < 0) {
            out.add(new ConfigProblem(at + "ttl", "must be ≥ 2, the shortest lease etcd grants with its default 1 s election timeout (got "
                    + s(ttl) + ")"));
        } else if (ttl.getNano() != 0) {
            out.add(new ConfigProblem(at + "ttl", "must be a whole number of seconds, as etcd grants leases (got " + s(ttl) + ")"));
        }
        if (!isPositive(loopWait)) {
            out.add(new ConfigProblem(at + "loop_wait", "must be > 0 (got " + s(loopWait) + ")"));
        }
        if (!isPositive(retryTimeout)) {
            out.add(new ConfigProblem(at + "retry_timeout", "must be > 0 (got " + s(retryTimeout) + ")"));
        }
        if (safetyMargin.isNegative()) {
            out.add(new ConfigProblem(at + "safety_margin", "must be ≥ 0 (got " + s(safetyMargin) + ")"));
        }
        if (primaryStartTimeout.isNegative()) {
            out.add(new ConfigProblem(at + "primary_start_timeout", "must be ≥ 0 (got " + s(primaryStartTimeout) + ")"));
        }
        if (loopWait.plus(retryTimeout.multipliedBy(2)).compareTo(ttl) > 0) {
            out.add(new ConfigProblem(at + "ttl", "must be ≥ loop_wait + 2*retry_timeout ("
                    + s(loopWait) + " + 2*" + s(retryTimeout) + " > " + s(ttl) + ")"));
        }
        if (safetyMargin.compareTo(ttl.minus(loopWait)) >= 0) {
            out.add(new ConfigProblem(at + "safety_margin", "must be < ttl - loop_wait, so the leader renews at least once before it fences ("
                    + s(safetyMargin) + " ≥ " + s(ttl) + " - " + s(loopWait) + ")"));
        }
        return out;
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static String s(Duration d) {
        return Seconds.format(d);
    }
}
