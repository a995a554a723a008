package io.pgha.daemon;

import io.pgha.dcs.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The last line of defence against two primaries: a timer of its own, not the HA loop, that stops
 * PostgreSQL when the lease is about to run out and nobody renewed it. A loop stuck in a hung JDBC
 * call or a DCS timeout cannot keep a primary writable past its lease, because this thread does
 * not wait for the loop.
 */
final class Fence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fence.class);

    private final MonotonicClock clock;
    private final Supplier<String> stopWrites;
    private final Runnable afterFiring;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fence");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        return t;
    });
    private ScheduledFuture<?> pending;
    private FenceKeeper keeper;
    private long fenceAtNanos;
    private volatile int fired;

    /**
     * @param stopWrites  stops PostgreSQL immediately and says what it did
     * @param afterFiring wakes the HA loop so it sees the stopped server
     */
    Fence(MonotonicClock clock, Supplier<String> stopWrites, Runnable afterFiring) {
        this.clock = clock;
        this.stopWrites = stopWrites;
        this.afterFiring = afterFiring;
    }

    /**
     * Mirrors every arm and disarm to a keeper outside the JVM, which still acts when this one cannot.
     * A deadline the keeper took over from an earlier run of the daemon is this fence's too, until the
     * HA loop renews or disarms it.
     */
    synchronized void guardedOutsideBy(FenceKeeper k) {
        this.keeper = k;
        k.inheritedDeadlineNanos().ifPresent(this::arm);
    }

    /** (Re)arms the fence for {@code fenceAtNanos}, on the monotonic clock. */
    synchronized void arm(long fenceAtNanos) {
        if (keeper != null) {
            keeper.arm(fenceAtNanos);
        }
        if (pending != null && this.fenceAtNanos == fenceAtNanos) {
            return;
        }
        cancel();
        this.fenceAtNanos = fenceAtNanos;
        long delay = Math.max(0, fenceAtNanos - clock.nanos());
        pending = timer.schedule(() -> fire(fenceAtNanos), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * The lease this fence guards is gone on the DCS before its deadline on our clock (etcd answered
     * a keepalive with "not found"): anyone may take the key now, so an armed fence fires now.
     */
    synchronized void leaseGone() {
        if (pending != null) {
            arm(clock.nanos());
        }
    }

    /** Not a writable primary any more (demoted, stopped, released): nothing to guard. */
    synchronized void disarm() {
        cancel();
        if (keeper != null) {
            keeper.disarm();
        }
    }

    synchronized boolean isArmed() {
        return pending != null;
    }

    int timesFired() {
        return fired;
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void fire(long deadline) {
        synchronized (this) {
            if (pending == null || fenceAtNanos != deadline) {
                return; // re-armed or disarmed while this task was due
            }
            pending = null;
            if (keeper != null) {
                keeper.disarm(); // done here; the keeper must not hit a postmaster restarted after this
            }
        }
        String what = stopWrites.get();
        fired++;
        LOG.error("fenced: the leader lease (or the members' failsafe acknowledgements) was not renewed in time and is about to expire; {}",
                what);
        afterFiring.run();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            if (keeper != null) {
                keeper.close();
            }
        }
    }
}
