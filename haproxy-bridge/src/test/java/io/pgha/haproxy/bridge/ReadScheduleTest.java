package io.pgha.haproxy.bridge;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** When the bridge reads the cluster without an event, and how long its loop waits, on a hand-set clock. */
class ReadScheduleTest {
    static final long T0 = 7_000_000_000L;

    static long at(long millis) {
        return T0 + Duration.ofMillis(millis).toNanos();
    }

    @Test
    void afterAReconcileTheNextIsDueFiveSecondsLater() {
        ReadSchedule s = ReadSchedule.BEFORE_FIRST_RECONCILE.reconciling(T0);
        assertThat(s.due(at(5000) - 1)).isFalse();
        assertThat(s.due(at(5000))).isTrue();
        assertThat(s.millisUntilDue(T0, ReloadSchedule.NOTHING_PENDING)).isEqualTo(5000);
    }

    @Test
    void anUnreachableDcsOrHaproxyIsTriedAgainASecondLater() {
        ReadSchedule s = ReadSchedule.BEFORE_FIRST_RECONCILE.reconciling(T0).retry(at(200));
        assertThat(s.due(at(1199))).isFalse();
        assertThat(s.due(at(1200))).isTrue();
        assertThat(s.millisUntilDue(at(200), ReloadSchedule.NOTHING_PENDING)).isEqualTo(1000);
    }

    @Test
    void aReconcileSettlesThePendingRetry() {
        ReadSchedule s = ReadSchedule.BEFORE_FIRST_RECONCILE.reconciling(T0).retry(T0).reconciling(at(1000));
        assertThat(s.retryAt()).isEmpty();
        assertThat(s.due(at(2000))).isFalse();
        assertThat(s.due(at(6000))).isTrue();
    }

    @Test
    void theLoopWakesForADueReloadBeforeTheResync() {
        ReadSchedule s = ReadSchedule.BEFORE_FIRST_RECONCILE.reconciling(T0);
        ReloadSchedule reload = ReloadSchedule.NOTHING_PENDING.rendered(at(300));
        assertThat(s.millisUntilDue(at(300), reload)).isEqualTo(1000);
        assertThat(s.millisUntilDue(at(1299) + 999_999, reload)).as("rounded down to the millisecond").isZero();
        assertThat(s.millisUntilDue(at(4000), reload)).as("overdue: no wait").isZero();
    }

    @Test
    void beforeTheFirstReconcileNothingIsDueAndNothingWaits() {
        assertThat(ReadSchedule.BEFORE_FIRST_RECONCILE.due(T0)).isFalse();
        assertThat(ReadSchedule.BEFORE_FIRST_RECONCILE.millisUntilDue(T0, ReloadSchedule.NOTHING_PENDING.rendered(T0))).isZero();
    }
}
