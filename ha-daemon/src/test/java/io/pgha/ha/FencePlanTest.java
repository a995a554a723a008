package io.pgha.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FencePlanTest {
    private static final long S = 1_000_000_000L;
    private final FencePlan plan = new FencePlan(Duration.ofSeconds(2));

    private FencePlan.AfterActing end(Decision d, boolean leads, boolean primary, boolean paused, long granted) {
        return plan.afterActing(new FencePlan.CycleEnd(d, leads, primary, paused, 30 * S, granted, 10 * S));
    }

    @Test
    void aLeaderKeepingItsKeyIsFencedOnTheLeaseAndActivatesTheWatchdog() {
        FencePlan.AfterActing a = end(new Decision.KeepLeading("ok"), true, true, false, 0);
        assertThat(a.fence()).isInstanceOf(FenceStep.ArmOnLease.class);
        assertThat(a.watchdog()).isInstanceOf(WatchdogStep.Activate.class);
        assertThat(plan.deadline(30 * S)).isEqualTo(28 * S);
    }

    @Test
    void holdingOnWithoutTheDcsKeepsTheFenceOnTheLastLeaseNotDisarmed() {
        FencePlan.AfterActing a = end(new Decision.HoldOn("dcs unreachable"), false, true, false, 0);
        assertThat(a.fence()).isEqualTo(new FenceStep.ArmAt(28 * S));
        assertThat(a.watchdog()).isInstanceOf(WatchdogStep.Unchanged.class);
    }

    @Test
    void aFailsafePromiseCarriesTheFenceFurtherAndCountsAsARenewal() {
        FencePlan.AfterActing a = end(new Decision.HoldOn("failsafe", 50 * S), true, true, false, 0);
        assertThat(a.fence()).isEqualTo(new FenceStep.ArmAt(48 * S));
        assertThat(a.watchdog()).isInstanceOf(WatchdogStep.Ping.class);
        assertThat(a.failsafeGrantedUntilNanos()).isEqualTo(50 * S);
    }

    @Test
    void aPrimaryWithoutTheKeyKeepsItsDeadlineOrThePromise() {
        assertThat(end(new Decision.Wait("race lost"), false, true, false, 0).fence()).isInstanceOf(FenceStep.Keep.class);
        assertThat(end(new Decision.Wait("race lost"), false, true, false, 40 * S).fence()).isEqualTo(new FenceStep.ArmAt(38 * S));
        assertThat(end(new Decision.Wait("race lost"), false, true, false, 0).watchdog()).isEqualTo(new WatchdogStep.StandDown(true));
    }

    @Test
    void aReplicaOrAPausedClusterIsNotFencedAndForgetsThePromise() {
        FencePlan.AfterActing replica = end(new Decision.Wait("following"), false, false, false, 40 * S);
        assertThat(replica.fence()).isInstanceOf(FenceStep.Disarm.class);
        assertThat(replica.failsafeGrantedUntilNanos()).isZero();
        assertThat(replica.watchdog()).isEqualTo(new WatchdogStep.StandDown(false));
        assertThat(end(new Decision.KeepLeading("paused"), true, true, true, 0).fence()).isInstanceOf(FenceStep.Disarm.class);
    }

    @Test
    void beforeDecidingOnlyAnUnpausedPrimaryHoldingTheKeyIsArmed() {
        assertThat(plan.beforeDeciding(true, true, false, 30 * S)).isEqualTo(new FenceStep.ArmAt(28 * S));
        assertThat(plan.beforeDeciding(false, true, false, 30 * S)).isInstanceOf(FenceStep.Keep.class);
        assertThat(plan.beforeDeciding(true, true, true, 30 * S)).isInstanceOf(FenceStep.Keep.class);
    }

    @Test
    void aLeaseFoundGoneFiresAnArmedFenceNowUnlessThePromiseStillRuns() {
        assertThat(plan.whenLeaseFoundGone(0, 10 * S)).isInstanceOf(FenceStep.FireIfArmed.class);
        assertThat(plan.whenLeaseFoundGone(40 * S, 10 * S)).isEqualTo(new FenceStep.ArmAt(38 * S));
    }
}
