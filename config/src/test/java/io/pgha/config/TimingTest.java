package io.pgha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimingTest {

    private static Timing timing(int ttl, int loopWait, int retryTimeout, int safetyMargin, int primaryStartTimeout) {
        return new Timing(Duration.ofSeconds(ttl), Duration.ofSeconds(loopWait), Duration.ofSeconds(retryTimeout),
                Duration.ofSeconds(safetyMargin), Duration.ofSeconds(primaryStartTimeout));
    }

    /** Dynamic config from key/value pairs, as it would come from the DCS. */
    private static DynamicConfig dcs(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return DynamicConfig.fromMap(m, "config").orElseThrow();
    }

    private static Validated<Timing> resolve(Object... keyValues) {
        return Timing.resolve(dcs(keyValues));
    }

    @Test
    void presetValues() {
        assertThat(resolve("rto", "fast").orElseThrow()).isEqualTo(timing(3, 1, 1, 1, 3));
        assertThat(resolve("rto", "norm").orElseThrow()).isEqualTo(timing(8, 2, 3, 2, 10));
        assertThat(resolve("rto", "safe").orElseThrow()).isEqualTo(timing(30, 5, 10, 5, 30));
        assertThat(resolve().orElseThrow()).isEqualTo(timing(8, 2, 3, 2, 10));
    }

    @Test
    void presetHaproxyChecks() {
        assertThat(RtoPreset.FAST.haproxy()).isEqualTo(new HaproxyCheckTiming(Duration.ofMillis(1000),
                Duration.ofMillis(500), Duration.ofMillis(1000), 2, 2));
        assertThat(RtoPreset.NORM.haproxy()).isEqualTo(new HaproxyCheckTiming(Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(2), 3, 3));
        assertThat(RtoPreset.SAFE.haproxy()).isEqualTo(new HaproxyCheckTiming(Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(3), 3, 3));
    }

    @ParameterizedTest
    @EnumSource(RtoPreset.class)
    void everyPresetPassesEveryRuleEvenWithAWatchdog(RtoPreset preset) {
        WatchdogConfig required = new WatchdogConfig(WatchdogMode.REQUIRED, Path.of("/dev/watchdog"), Optional.empty());
        DynamicConfig config = dcs("rto", preset.key());
        assertThat(Timing.resolve(config, required, "config").problems()).isEmpty();
        assertThat(preset.timing()).isEqualTo(Timing.resolve(config).orElseThrow());
    }

    @Test
    void explicitValueOverridesOnlyItself() {
        assertThat(resolve("rto", "safe", "loop_wait", 3).orElseThrow()).isEqualTo(timing(30, 3, 10, 5, 30));
        assertThat(resolve("rto", "fast", "ttl", 5).orElseThrow()).isEqualTo(timing(5, 1, 1, 1, 3));
    }

    @Test
    void overrideThatBreaksARuleIsRejectedNotAdjusted() {
        assertThat(resolve("rto", "fast", "loop_wait", 2).problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.ttl: must be ≥ loop_wait + 2*retry_timeout (2 + 2*1 > 3)",
                "config.safety_margin: must be < ttl - loop_wait, so the leader renews at least once before it fences (1 ≥ 3 - 2)");
    }

    @Test
    void ruleLoopWaitPlusTwoRetriesWithinTtl() {
        assertThat(resolve("ttl", 20, "loop_wait", 10, "retry_timeout", 10).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.ttl: must be ≥ loop_wait + 2*retry_timeout (10 + 2*10 > 20)");
        assertThat(resolve("ttl", 30, "loop_wait", 10, "retry_timeout", 10).isValid()).isTrue();
    }

    @Test
    void ruleTtlAtLeastTwo() {
        assertThat(resolve("ttl", 1, "loop_wait", 0.25, "retry_timeout", 0.25, "safety_margin", 0).problems())
                .extracting(ConfigProblem::toString)
                .containsExactly("config.ttl: must be ≥ 2, the shortest lease etcd grants with its default 1 s election timeout (got 1)");
    }

    @Test
    void ruleTtlInWholeSeconds() {
        assertThat(resolve("ttl", 8.5).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.ttl: must be a whole number of seconds, as etcd grants leases (got 8.5)");
    }

    @Test
    void ruleLoopWaitPositive() {
        assertThat(resolve("loop_wait", 0).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.loop_wait: must be > 0 (got 0)");
    }

    @Test
    void ruleRetryTimeoutPositive() {
        assertThat(resolve("retry_timeout", -1).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.retry_timeout: must be > 0 (got -1)");
    }

    @Test
    void ruleSafetyMarginNotNegative() {
        assertThat(resolve("safety_margin", -0.5).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.safety_margin: must be ≥ 0 (got -0.5)");
    }

    @Test
    void rulePrimaryStartTimeoutNotNegative() {
        assertThat(resolve("primary_start_timeout", -5).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.primary_start_timeout: must be ≥ 0 (got -5)");
    }

    @Test
    void ruleSafetyMarginLeavesOneRenewal() {
        assertThat(resolve("safety_margin", 6).problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.safety_margin: must be < ttl - loop_wait, so the leader renews at least once before it fences (6 ≥ 8 - 2)");
        assertThat(resolve("safety_margin", 5.9).isValid()).isTrue();
    }

    @Test
    void ruleWatchdogTimeoutAtLeastLoopWait() {
        WatchdogConfig tight = new WatchdogConfig(WatchdogMode.AUTOMATIC, Path.of("/dev/watchdog"), Optional.of(Duration.ofSeconds(7)));
        assertThat(Timing.resolve(dcs(), tight, "bootstrap.dcs").problems()).extracting(ConfigProblem::toString)
                .containsExactly("watchdog.safety_margin: watchdog timeout ttl - safety_margin must be ≥ loop_wait (8 - 7 < 2)");
        WatchdogConfig off = new WatchdogConfig(WatchdogMode.OFF, Path.of("/dev/watchdog"), Optional.of(Duration.ofSeconds(7)));
        assertThat(Timing.resolve(dcs(), off, "bootstrap.dcs").isValid()).isTrue();
    }

    @Test
    void ruleFailsafeTimeoutWithinTheAcknowledgedTime() {
        assertThat(resolve("failsafe_mode", true, "failsafe_timeout", 6).problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.failsafe_timeout: must be < ttl - safety_margin: the members' acknowledgements last ttl from the start of "
                        + "the round and the leader fences safety_margin before that (6 ≥ 8 - 2)");
        assertThat(resolve("failsafe_mode", false, "failsafe_timeout", 6).problems()).as("checked before failsafe_mode is turned on")
                .extracting(ConfigProblem::path).containsExactly("config.failsafe_timeout");
        assertThat(resolve("failsafe_mode", true, "failsafe_timeout", 5.9).isValid()).isTrue();
        // The default, min(2, retry_timeout), against a margin that leaves less than that.
        assertThat(resolve("failsafe_mode", true, "ttl", 10, "loop_wait", 1, "retry_timeout", 4, "safety_margin", 8.5).problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.failsafe_timeout: must be < ttl - safety_margin: the members' acknowledgements last ttl "
                        + "from the start of the round and the leader fences safety_margin before that (default min(2, retry_timeout) = 2 ≥ 10 - 8.5)");
        assertThat(resolve("failsafe_mode", false, "ttl", 10, "loop_wait", 1, "retry_timeout", 4, "safety_margin", 8.5).isValid()).as("the default matters only when on").isTrue();
    }

    @Test
    void failsafeTimeoutDefaultsToTwoSecondsOrRetryTimeout() {
        assertThat(dcs().failsafeTimeout(resolve().orElseThrow())).isEqualTo(Duration.ofSeconds(2));
        assertThat(dcs("rto", "fast").failsafeTimeout(resolve("rto", "fast").orElseThrow())).isEqualTo(Duration.ofSeconds(1));
        assertThat(dcs("failsafe_timeout", 0.5).failsafeTimeout(resolve().orElseThrow())).isEqualTo(Duration.ofMillis(500));
    }

    @ParameterizedTest
    @EnumSource(RtoPreset.class)
    void everyPresetAllowsFailsafeMode(RtoPreset preset) {
        assertThat(resolve("rto", preset.key(), "failsafe_mode", true).problems()).isEmpty();
    }

    @Test
    void watchdogMarginDefaultsToTheResolvedSafetyMargin() {
        WatchdogConfig required = new WatchdogConfig(WatchdogMode.REQUIRED, Path.of("/dev/watchdog"), Optional.empty());
        Timing t = Timing.resolve(dcs("safety_margin", 3), required, "config").orElseThrow();
        assertThat(required.timeout(t)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void watchdogRuleInTheFileNamesBothKeys() {
        assertThat(Fixture.minimal().set("watchdog.mode", "required").set("watchdog.safety_margin", 7).problems())
                .containsExactly("watchdog.safety_margin: watchdog timeout ttl - safety_margin must be ≥ loop_wait (8 - 7 < 2)");
    }

    @Test
    void fileTimingIsCheckedAtLoad() {
        assertThat(Fixture.minimal().set("bootstrap.dcs.rto", "fast").set("bootstrap.dcs.retry_timeout", 2).problems())
                .containsExactly("bootstrap.dcs.ttl: must be ≥ loop_wait + 2*retry_timeout (1 + 2*2 > 3)");
    }

    @Test
    void decimalSeconds() {
        assertThat(resolve("rto", "fast", "loop_wait", 0.5, "retry_timeout", 1.25).orElseThrow())
                .isEqualTo(new Timing(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(1250),
                        Duration.ofSeconds(1), Duration.ofSeconds(3)));
    }

    @Test
    void constructorRefusesABrokenCombination() {
        assertThatThrownBy(() -> timing(20, 10, 10, 2, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ttl: must be ≥ loop_wait + 2*retry_timeout (10 + 2*10 > 20)");
    }

    @Test
    void daemonChecksADcsConfigAgainstItsOwnWatchdog() {
        PghaConfig local = Fixture.minimal().set("watchdog.mode", "automatic").set("watchdog.safety_margin", 5).parse();
        assertThat(local.timing(DynamicConfig.fromJson("{\"rto\":\"safe\"}")).isValid()).isTrue();
        assertThat(local.timing(DynamicConfig.fromJson("{\"rto\":\"fast\"}")).problems()).extracting(ConfigProblem::toString)
                .containsExactly("watchdog.safety_margin: watchdog timeout ttl - safety_margin must be ≥ loop_wait (3 - 5 < 1)");
    }
}
