package io.pgha.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalPlanTest {
    private static final Duration LOOP = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(3);

    private static long s(double seconds) {
        return (long) (seconds * 1e9);
    }

    @Test
    void aLeaderRenewsEveryCycleHoweverMuchLeaseIsLeft() {
        assertThat(RenewalPlan.beforeReading(true, true, s(7.9), LOOP, RETRY)).isTrue();
    }

    @Test
    void aFollowerAtNormRenewsEveryOtherCycle() {
        // Renewed at t=0 with ttl 8: at t=2 six seconds are left, more than loop_wait + retry_timeout.
        assertThat(RenewalPlan.beforeReading(false, true, s(6), LOOP, RETRY)).isFalse();
        // At t=4 four are left: skipping would leave the next cycle two, less than retry_timeout.
        assertThat(RenewalPlan.beforeReading(false, true, s(4), LOOP, RETRY)).isTrue();
        assertThat(RenewalPlan.beforeReading(false, true, s(5), LOOP, RETRY)).isTrue();
    }

    @Test
    void aFollowerAtFastRenewsEveryCycle() {
        // ttl 3, loop_wait 1, retry 1: two seconds left one cycle after a renewal is already the limit.
        assertThat(RenewalPlan.beforeReading(false, true, s(2), Duration.ofSeconds(1), Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aMemberThatSawNoLeaderRenewsBeforeItMayRace() {
        assertThat(RenewalPlan.beforeReading(false, false, s(7.9), LOOP, RETRY)).isTrue();
    }

    @Test
    void aSkippedRenewalIsMadeUpWhenTheReadShowsNoLeaderOrThisMemberLeading() {
        assertThat(RenewalPlan.afterReading(false, false, false)).isTrue();
        assertThat(RenewalPlan.afterReading(false, true, true)).isTrue();
        assertThat(RenewalPlan.afterReading(false, true, false)).isFalse();
        assertThat(RenewalPlan.afterReading(true, false, false)).isFalse();
    }
}
