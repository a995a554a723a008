package io.pgha.watchdog;

import io.pgha.config.WatchdogMode;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog policy driven against {@link WatchdogDeviceDouble}, a double of the Linux device (no
 * softdog on our machines), on a simulated clock: ttl 30, safety margin 5 ⇒ timeout 25, loop_wait 10.
 */
class WatchdogPolicyWithDeviceDoubleTest {
    private static final long S = 1_000_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(25);
    private static final Duration LOOP_WAIT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1000 * S);
    private final WatchdogDeviceDouble device = new WatchdogDeviceDouble(now::get);

    private Watchdog watchdog(WatchdogMode mode) {
        return new Watchdog(mode, device, now::get, Duration.ofSeconds(30));
    }

    private void advance(long seconds) {
        now.addAndGet(seconds * S);
    }

    @Test
    void activationOpensAndSetsTtlMinusSafetyMargin() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
        assertThat(device.events()).containsExactly("open", "settimeout 25 -> 25");
        assertThat(w.status().active()).isTrue();
        assertThat(w.status().timeoutSeconds()).isEqualTo(25);
    }

    @Test
    void pingsOnlyAfterASuccessfulRenewalAndNeverOtherwise() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        for (int cycle = 0; cycle < 10; cycle++) {
            advance(10);
            w.leaseRenewed();
            w.activate(TIMEOUT, LOOP_WAIT); // the end of a cycle that still leads: no extra ping
        }
        assertThat(device.pings()).isEqualTo(10);
        assertThat(device.fired()).isFalse();
    }

    @Test
    void withoutRenewalsTheDeviceFiresAfterItsTimeout() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        advance(10);
        w.leaseRenewed();
        // The DCS becomes unreachable (or the daemon freezes): cycles go on, renewals do not succeed.
        advance(10);
        w.activate(TIMEOUT, LOOP_WAIT);
        advance(10);
        assertThat(device.fired()).as("24 s after the last renewal").isFalse();
        advance(5);
        assertThat(device.fired()).as("25 s after the last renewal").isTrue();
    }

    @Test
    void demoteStopsItWithAMagicClose() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        w.standDown(false, "demoted");
        assertThat(device.events()).endsWith("magic close");
        assertThat(w.status().active()).isFalse();
        advance(3600);
        assertThat(device.fired()).isFalse();
    }

    @Test
    void cleanShutdownStopsItWithAMagicClose() {
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        w.activate(TIMEOUT, LOOP_WAIT);
        w.disable("clean shutdown");
        assertThat(device.events()).endsWith("magic close");
        assertThat(device.isRunning()).isFalse();
    }

    @Test
    void aDaemonKilledWithoutMagicCloseLeavesItToFire() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        device.closeWithoutMagic();
        advance(25);
        assertThat(device.fired()).isTrue();
    }

    @Test
    void aPrimaryThatLostItsKeyButStillWritesIsNotPingedAndNotStopped() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        w.standDown(true, "lost the leader key");
        advance(10);
        w.leaseRenewed(); // the member session renews, but that is no reason to ping
        assertThat(device.pings()).isZero();
        assertThat(device.events()).doesNotContain("magic close");
        advance(15);
        assertThat(device.fired()).isTrue();
    }

    @Test
    void leadingAgainAfterAStandDownResumesPinging() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        w.standDown(true, "DCS unreachable this cycle");
        advance(10);
        w.activate(TIMEOUT, LOOP_WAIT); // renewed and leading again
        advance(20);
        w.leaseRenewed();
        advance(20);
        assertThat(device.fired()).isFalse();
    }

    @Test
    void offNeverTouchesTheDevice() {
        Watchdog w = watchdog(WatchdogMode.OFF);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
        w.leaseRenewed();
        w.disable("shutdown");
        assertThat(device.events()).isEmpty();
        assertThat(w.whyNotLeader()).isEmpty();
    }

    @Test
    void requiredButUnopenableMakesTheNodeIneligible() {
        device.failingOpen("No such file or directory (ENOENT, errno 2)");
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        assertThat(w.whyNotLeader()).hasValueSatisfying(why -> assertThat(why).contains("watchdog required", "ENOENT"));
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isFalse();
        assertThat(w.status().failed()).isTrue();
        assertThat(w.status().problem()).contains("ENOENT");
    }

    @Test
    void automaticButUnopenableLeadsWithoutIt() {
        device.failingOpen("No such file or directory (ENOENT, errno 2)");
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        assertThat(w.whyNotLeader()).isEmpty();
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
        assertThat(w.status().active()).isFalse();
        assertThat(w.status().failed()).isFalse();
        assertThat(w.status().problem()).contains("ENOENT");
    }

    @Test
    void aGrantedTimeoutLongerThanTtlMinusMarginDoesNotProtect() {
        device.granularity(16); // asks 25, gets 32: it would fire after the lease expired
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isFalse();
        assertThat(w.whyNotLeader()).hasValueSatisfying(why -> assertThat(why).contains("granted a timeout of 32 s", "25 s"));
        assertThat(device.events()).endsWith("magic close"); // opened to try, and stopped again
        assertThat(device.isRunning()).isFalse();
    }

    @Test
    void aGrantedTimeoutTooLongInAutomaticLeadsWithoutIt() {
        device.granularity(16);
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
        assertThat(w.status().active()).isFalse();
        assertThat(device.isRunning()).isFalse();
    }

    @Test
    void aTimeoutTheDriverRejectsIsReportedAndRefusedWhenRequired() {
        device.range(30, 600);
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isFalse();
        assertThat(w.whyNotLeader()).hasValueSatisfying(why -> assertThat(why).contains("WDIOC_SETTIMEOUT", "EINVAL"));
    }

    @Test
    void aFixedTimeoutDriverIsUsedWhenItsTimeoutProtects() {
        device.withoutSetTimeout(20);
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
        assertThat(w.status().timeoutSeconds()).isEqualTo(20);
    }

    @Test
    void aFailedRequiredActivationIsRetriedAfterTheRetryInterval() {
        device.granularity(16);
        Watchdog w = watchdog(WatchdogMode.REQUIRED);
        w.activate(TIMEOUT, LOOP_WAIT);
        assertThat(w.whyNotLeader()).isPresent();
        device.granularity(1); // an operator fixed the driver
        advance(31);
        assertThat(w.whyNotLeader()).isEmpty();
        assertThat(w.activate(TIMEOUT, LOOP_WAIT)).isTrue();
    }

    @Test
    void aTtlChangeReprogramsTheRunningDevice() {
        Watchdog w = watchdog(WatchdogMode.AUTOMATIC);
        w.activate(TIMEOUT, LOOP_WAIT);
        w.activate(Duration.ofSeconds(15), LOOP_WAIT);
        assertThat(device.events()).containsExactly("open", "settimeout 25 -> 25", "settimeout 15 -> 15");
        assertThat(w.status().timeoutSeconds()).isEqualTo(15);
    }

    @Test
    void theDoubleRefusesASecondOpenAsTheKernelDoes() throws Exception {
        device.open();
        Assertions.assertThatThrownBy(device::open).hasMessageContaining("EBUSY");
    }
}
