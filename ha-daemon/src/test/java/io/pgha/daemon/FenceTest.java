package io.pgha.daemon;

import io.pgha.dcs.MonotonicClock;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The fence fires on its own thread when nobody re-arms it, and only then. */
class FenceTest {
    private static final long MS = 1_000_000L;
    private final AtomicInteger stops = new AtomicInteger();
    private final AtomicInteger wakeups = new AtomicInteger();

    private Fence fence() {
        return new Fence(MonotonicClock.SYSTEM, () -> {
            stops.incrementAndGet();
            return "stopped";
        }, wakeups::incrementAndGet);
    }

    @Test
    void firesAtTheDeadlineWhenNotRenewedEvenWhileTheCallerIsBlocked() throws Exception {
        try (Fence f = fence()) {
            f.arm(System.nanoTime() + 100 * MS);
            // The arming thread now blocks, as a loop stuck in a hung JDBC call would.
            Await.until("fence fired", Duration.ofSeconds(5), () -> stops.get() == 1);
            // The loop is woken right after the stop, on the fence's thread: wait for that, do not race it.
            Await.until("loop woken", Duration.ofSeconds(5), () -> wakeups.get() >= 1);
            assertThat(wakeups.get()).isEqualTo(1);
            assertThat(f.isArmed()).isFalse();
            assertThat(f.timesFired()).isEqualTo(1);
        }
    }

    @Test
    void reArmingPostponesAndDisarmingCancels() throws Exception {
        try (Fence f = fence()) {
            long deadline = System.nanoTime() + 150 * MS;
            f.arm(deadline);
            f.arm(System.nanoTime() + 60_000 * MS); // renewed: the old deadline no longer applies
            f.disarm();
            f.arm(System.nanoTime() + 60_000 * MS);
            // Wait past the first deadline; the re-armed fence must not have fired.
            Await.until("first deadline passed", Duration.ofSeconds(5), () -> System.nanoTime() - deadline > 300 * MS);
            assertThat(stops.get()).isZero();
            assertThat(f.isArmed()).isTrue();
            f.disarm();
            assertThat(f.isArmed()).isFalse();
        }
    }

    @Test
    void aLeaseTheDcsReportsGoneFiresAnArmedFenceNowAndLeavesADisarmedOneAlone() {
        try (Fence f = fence()) {
            f.leaseGone(); // a replica's lease: nothing armed, nothing to stop
            f.arm(System.nanoTime() + 60_000 * MS);
            f.leaseGone(); // etcd dropped the lease a minute before our deadline: the key is gone now
            Await.until("fence fired", Duration.ofSeconds(5), () -> stops.get() == 1);
            assertThat(f.isArmed()).isFalse();
        }
    }

    @Test
    void aDeadlineAlreadyPastFiresAtOnce() {
        try (Fence f = fence()) {
            f.arm(System.nanoTime() - 1);
            Await.until("fence fired", Duration.ofSeconds(5), () -> stops.get() == 1);
        }
    }
}
