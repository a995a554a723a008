package io.pgha.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** When a member moves to a lease of another TTL, and how a primary's fence follows the move. */
class LeasePlanTest {
    private static final long S = 1_000_000_000L;
    private static final Duration TEN = Duration.ofSeconds(10);
    private static final Duration THIRTY = Duration.ofSeconds(30);

    @Test
    void aTtlChangedInTheConfigMovesTheLeaseBothWays() {
        assertThat(LeasePlan.change(TEN, THIRTY, true)).hasValueSatisfying(c -> {
            assertThat(c.from()).isEqualTo(THIRTY);
            assertThat(c.to()).isEqualTo(TEN);
            assertThat(c.why()).contains("dynamic config changed");
        });
        assertThat(LeasePlan.change(THIRTY, TEN, true)).hasValueSatisfying(c -> assertThat(c.to()).isEqualTo(THIRTY));
    }

    @Test
    void theSameTtlAsTheLeaseWasAskedForIsNoChangeEvenWhenEtcdGrantedMore() {
        // etcd raises 1 s to its minimum (2 s here): the session compares with what it asked for, so this never repeats.
        assertThat(LeasePlan.change(Duration.ofSeconds(1), Duration.ofSeconds(1), true)).isEmpty();
        assertThat(LeasePlan.change(THIRTY, THIRTY, true)).isEmpty();
    }

    @Test
    void notWhileTheDcsIsUnreachable() {
        assertThat(LeasePlan.change(TEN, THIRTY, false)).isEmpty();
    }

    @Test
    void aPrimaryShorteningItsLeaseIsFencedByTheNewLeaseBeforeTheKeysMove() {
        FencePlan plan = new FencePlan(Duration.ofSeconds(2));
        // Renewed at 0 with ttl 30; the new lease of ttl 10 is granted at 1 s: the key then expires at 11 s, not 30 s.
        assertThat(plan.beforeMovingLease(true, 30 * S, 11 * S)).isEqualTo(new FenceStep.ArmAt(9 * S));
    }

    @Test
    void aPrimaryLengtheningItsLeaseKeepsTheEarlierDeadlineUntilTheMoveIsDone() {
        FencePlan plan = new FencePlan(Duration.ofSeconds(2));
        assertThat(plan.beforeMovingLease(true, 10 * S, 31 * S)).isEqualTo(new FenceStep.ArmAt(8 * S));
    }

    @Test
    void aMemberThatDoesNotWriteUnderTheKeyLeavesTheFenceAlone() {
        FencePlan plan = new FencePlan(Duration.ofSeconds(2));
        assertThat(plan.beforeMovingLease(false, 30 * S, 11 * S)).isInstanceOf(FenceStep.Keep.class);
    }
}
