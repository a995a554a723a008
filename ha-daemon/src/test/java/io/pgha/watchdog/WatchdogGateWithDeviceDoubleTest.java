package io.pgha.watchdog;

import io.pgha.config.WatchdogMode;
import io.pgha.dcs.Lease;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import io.pgha.ha.Decision;
import io.pgha.ha.Failsafe;
import io.pgha.ha.HaCore;
import io.pgha.ha.HaRules;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog in front of the decision core, as the HA loop uses it, against {@link WatchdogDeviceDouble}:
 * the device runs before the key is taken, and a required one that cannot run keeps the key untaken.
 */
class WatchdogGateWithDeviceDoubleTest {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 1000 * S;
    private static final long SYSID = 7268616322854375442L;
    private static final KeyLayout KEYS = new KeyLayout("/service", "demo");
    private static final HaRules RULES = new HaRules(Duration.ofSeconds(5), Duration.ofSeconds(300), 1_048_576, false, 1);
    private static final Duration TIMEOUT = Duration.ofSeconds(25);
    private static final Duration LOOP_WAIT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(NOW);
    private final WatchdogDeviceDouble device = new WatchdogDeviceDouble(now::get);

    /** The only member, a replica, no leader key: the core says acquire. */
    private static Observation leaderlessOnlyMember() {
        Cluster c = Cluster.fromEntries(KEYS, List.of(
                new RawEntry(KEYS.prefix() + "initialize", Long.toUnsignedString(SYSID), 2, 0),
                new RawEntry(KEYS.member("n1"), "{\"state\":\"running\",\"role\":\"replica\"}", 6, 1)), 100);
        return new Observation("n1", Optional.of(c), new PgState.Running(PgState.Role.REPLICA, SYSID, 2, 100, NOW - 100 * S),
                new Lease(42, Duration.ofSeconds(30), NOW + 30 * S), NOW, Instant.parse("2026-11-22T12:00:00Z"),
                Optional.empty(), Optional.empty(), Failsafe.NONE);
    }

    private Decision decide(WatchdogMode mode, HaRules rules) {
        WatchdogGate gate = new WatchdogGate(new Watchdog(mode, device, now::get, Duration.ofSeconds(30)));
        HaCore core = new HaCore(rules);
        Observation o = leaderlessOnlyMember();
        return gate.beforeActing(gate.core(core).decide(o), o, core, TIMEOUT, LOOP_WAIT);
    }

    @Test
    void theDeviceRunsBeforeTheKeyIsTaken() {
        Decision d = decide(WatchdogMode.REQUIRED, RULES);
        assertThat(d).isInstanceOf(Decision.AcquireLeader.class);
        assertThat(device.events()).containsExactly("open", "settimeout 25 -> 25");
    }

    @Test
    void aRequiredDeviceThatCannotProtectKeepsTheKeyUntaken() {
        device.granularity(16);
        Decision d = decide(WatchdogMode.REQUIRED, RULES);
        assertThat(d).as(d.logLine()).isInstanceOf(Decision.Wait.class);
        assertThat(d.reason()).contains("watchdog required", "granted a timeout of 32 s");
        assertThat(device.isRunning()).isFalse();
    }

    @Test
    void aRequiredDeviceThatIsMissingIsKnownBeforeTheRace() {
        device.failingOpen("No such file or directory (ENOENT, errno 2)");
        Decision d = decide(WatchdogMode.REQUIRED, RULES);
        assertThat(d).isInstanceOf(Decision.Wait.class);
        assertThat(d.reason()).contains("watchdog required");
        assertThat(device.events()).as("a missing device is not even opened").isEmpty();
    }

    @Test
    void anAutomaticDeviceThatCannotProtectIsLedWithout() {
        device.granularity(16);
        Decision d = decide(WatchdogMode.AUTOMATIC, RULES);
        assertThat(d).isInstanceOf(Decision.AcquireLeader.class);
        assertThat(device.isRunning()).isFalse();
    }

    @Test
    void pausedNodesDoNotStartIt() {
        Observation o = leaderlessOnlyMember();
        WatchdogGate gate = new WatchdogGate(new Watchdog(WatchdogMode.REQUIRED, device, now::get, Duration.ofSeconds(30)));
        HaCore paused = new HaCore(RULES.paused(true));
        gate.beforeActing(new Decision.AcquireLeader("paused, unlocked primary takes the key"), o, paused, TIMEOUT, LOOP_WAIT);
        assertThat(device.events()).isEmpty();
    }

    private Decision bootstrap(WatchdogMode mode) {
        Cluster empty = Cluster.fromEntries(KEYS, List.of(), 100);
        Observation o = new Observation("n1", Optional.of(empty), new PgState.Absent(), new Lease(42, Duration.ofSeconds(30), NOW + 30 * S),
                NOW, Instant.parse("2026-11-22T12:00:00Z"), Optional.empty(), Optional.empty(),
                Failsafe.NONE);
        WatchdogGate gate = new WatchdogGate(new Watchdog(mode, device, now::get, Duration.ofSeconds(30)));
        HaCore core = new HaCore(RULES);
        return gate.beforeActing(gate.core(core).decide(o), o, core, TIMEOUT, LOOP_WAIT);
    }

    @Test
    void aRequiredDeviceIsCheckedBeforeABootstrapAndStoppedForItsDuration() {
        assertThat(bootstrap(WatchdogMode.REQUIRED)).isInstanceOf(Decision.RaceInitialize.class);
        // initdb and the first start block the loop: the device must not count down meanwhile.
        assertThat(device.events()).containsExactly("open", "settimeout 25 -> 25", "magic close");
    }

    @Test
    void aRequiredDeviceThatCannotProtectPreventsTheBootstrap() {
        device.granularity(16);
        Decision d = bootstrap(WatchdogMode.REQUIRED);
        assertThat(d).as(d.logLine()).isInstanceOf(Decision.Wait.class);
        assertThat(d.reason()).contains("watchdog required");
    }

    @Test
    void anAutomaticDeviceIsNotOpenedForABootstrap() {
        assertThat(bootstrap(WatchdogMode.AUTOMATIC)).isInstanceOf(Decision.RaceInitialize.class);
        assertThat(device.events()).isEmpty();
    }

    @Test
    void offNeverTouchesIt() {
        assertThat(decide(WatchdogMode.OFF, RULES)).isInstanceOf(Decision.AcquireLeader.class);
        assertThat(device.events()).isEmpty();
    }
}
