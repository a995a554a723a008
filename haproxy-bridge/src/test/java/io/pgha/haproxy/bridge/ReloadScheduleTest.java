package io.pgha.haproxy.bridge;

import io.pgha.haproxy.bridge.ReloadSchedule.Decision;
import io.pgha.haproxy.bridge.ReloadSchedule.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** When a rendered config goes into HAProxy, against a clock the test sets by hand. */
class ReloadScheduleTest {
    /** Any nanoTime reading will do; not 0, so nothing can pass for "unset". */
    static final long T0 = 7_000_000_000L;

    static long at(Duration sinceT0) {
        return T0 + sinceT0.toNanos();
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static Verdict verdictAt(ReloadSchedule s, Duration sinceT0) {
        return s.decide(at(sinceT0), true, true).verdict();
    }

    @Test
    void aRenderedConfigGoesInOnceTheTopologyHasBeenQuietForASecond() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0);
        assertThat(s.dueAt()).hasValue(at(ms(1000)));
        Decision early = s.decide(at(ms(1000)) - 1, true, true);
        assertThat(early.verdict()).isEqualTo(Verdict.NOT_DUE);
        assertThat(early.next()).isEqualTo(s);

        Decision due = s.decide(at(ms(1000)), true, true);
        assertThat(due.verdict()).isEqualTo(Verdict.DEPLOY);
        assertThat(due.next().dueAt()).isEmpty();
        assertThat(verdictAt(due.next(), ms(5000))).as("deployed: nothing pending any more").isEqualTo(Verdict.NOT_DUE);
    }

    @Test
    void eachRenderInABurstStartsTheQuietPeriodAgain() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0).rendered(at(ms(600)));
        assertThat(verdictAt(s, ms(1000))).isEqualTo(Verdict.NOT_DUE);
        assertThat(verdictAt(s, ms(1599))).isEqualTo(Verdict.NOT_DUE);
        assertThat(verdictAt(s, ms(1600))).isEqualTo(Verdict.DEPLOY);
    }

    @Test
    void whenHaproxyAlreadyRunsTheConfigOrRefusedItNothingStaysPending() {
        Decision d = ReloadSchedule.NOTHING_PENDING.rendered(T0).decide(at(ms(1000)), false, true);
        assertThat(d.verdict()).isEqualTo(Verdict.NOTHING_NEW);
        assertThat(d.next().dueAt()).isEmpty();
    }

    @Test
    void withoutALeaderTheReloadWaitsTenSecondsFromTheRenderThenGoesAnyway() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0);
        Decision waiting = s.decide(at(ms(1000)), true, false);
        assertThat(waiting.verdict()).isEqualTo(Verdict.AWAIT_LEADER);
        assertThat(waiting.next().dueAt()).hasValue(at(ms(10_000)));

        ReloadSchedule later = waiting.next();
        assertThat(later.decide(at(ms(10_000)) - 1, true, false).verdict()).isEqualTo(Verdict.NOT_DUE);
        assertThat(later.decide(at(ms(10_000)), true, false).verdict()).isEqualTo(Verdict.DEPLOY);
    }

    @Test
    void aLeaderAppearingBeforeTheLimitLetsTheWaitingReloadGoWhenDue() {
        ReloadSchedule waiting = ReloadSchedule.NOTHING_PENDING.rendered(T0).decide(at(ms(1000)), true, false).next();
        assertThat(waiting.decide(at(ms(10_000)), true, true).verdict()).isEqualTo(Verdict.DEPLOY);
    }

    @Test
    void aLeaderWithNoServerInHaproxyBringsThePendingReloadForwardToNow() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0).leaderMissing(at(ms(100)));
        assertThat(s.dueAt()).hasValue(at(ms(100)));
        assertThat(s.renderedAt()).as("the leaderless limit still counts from the render").isEqualTo(T0);
        assertThat(verdictAt(s, ms(100))).isEqualTo(Verdict.DEPLOY);

        assertThat(ReloadSchedule.NOTHING_PENDING.leaderMissing(at(ms(100))).dueAt()).hasValue(at(ms(100)));
    }

    @Test
    void aLeaderWithNoServerInHaproxyNeverPutsAnOverdueReloadOff() {
        ReloadSchedule overdue = ReloadSchedule.NOTHING_PENDING.rendered(T0);
        assertThat(overdue.leaderMissing(at(ms(1500)))).isEqualTo(overdue);
    }

    @Test
    void aRestartOnAnotherFileReloadsAtOnce() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0).decide(at(ms(1000)), true, true).next()
                .runningOtherConfig(at(ms(3000)));
        assertThat(s.dueAt()).hasValue(at(ms(3000)));
        assertThat(verdictAt(s, ms(3000))).isEqualTo(Verdict.DEPLOY);
    }

    @Test
    void aFailedReloadIsTriedAgainASecondLater() {
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(T0).decide(at(ms(1000)), true, true).next()
                .reloadFailed(at(ms(1200)));
        assertThat(verdictAt(s, ms(2199))).isEqualTo(Verdict.NOT_DUE);
        assertThat(verdictAt(s, ms(2200))).isEqualTo(Verdict.DEPLOY);
    }

    @Test
    void nothingPendingIsNeverDue() {
        assertThat(ReloadSchedule.NOTHING_PENDING.decide(T0, true, true))
                .isEqualTo(new Decision(Verdict.NOT_DUE, ReloadSchedule.NOTHING_PENDING));
    }

    @Test
    void theQuietPeriodHoldsAcrossTheWrapOfTheNanosecondCounter() {
        long t = Long.MAX_VALUE - ms(500).toNanos();
        ReloadSchedule s = ReloadSchedule.NOTHING_PENDING.rendered(t);
        assertThat(s.decide(t + ms(999).toNanos(), true, true).verdict()).isEqualTo(Verdict.NOT_DUE);
        assertThat(s.decide(t + ms(1000).toNanos(), true, true).verdict()).isEqualTo(Verdict.DEPLOY);
        assertThat(s.dueAt()).isEqualTo(OptionalLong.of(t + ms(1000).toNanos()));
    }
}
