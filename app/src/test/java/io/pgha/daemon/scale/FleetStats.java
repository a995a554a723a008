package io.pgha.daemon.scale;

import io.pgha.dcs.DcsException;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the fleet saw during one measuring window. A renewal is late when the lease had already
 * run out by the member's clock when the keepalive was sent; lost when etcd said the lease was
 * gone (its keys with it). Both must stay 0: either would make a real member's keys vanish.
 */
final class FleetStats {
    final AtomicLong renewals = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong failedCycles = new AtomicLong();
    final AtomicLong watchInterruptions = new AtomicLong();
    final AtomicLong cycles = new AtomicLong();
    final AtomicReference<String> lastFailure = new AtomicReference<>("");
    /** Lease time left when a renewal was sent: how close to the edge members ran. */
    final Samples leaseLeft = new Samples();
    final Samples watchDelay = new Samples();
    /** How much later than loop_wait after the previous cycle each cycle started (load generator lag). */
    final Samples cycleLag = new Samples();

    void renewed(long leftWhenSentNanos) {
        renewals.incrementAndGet();
        leaseLeft.add(leftWhenSentNanos);
    }

    void renewalLate() {
        renewals.incrementAndGet();
        late.incrementAndGet();
    }

    void leaseLost() {
        renewals.incrementAndGet();
        lost.incrementAndGet();
    }

    void cycleFailed(DcsException e) {
        failedCycles.incrementAndGet();
        lastFailure.set(e.getMessage());
    }

    void watchDelay(long nanos) {
        watchDelay.add(nanos);
    }

    void watchInterrupted() {
        watchInterruptions.incrementAndGet();
    }

    void cycleStarted(long lagNanos) {
        cycles.incrementAndGet();
        cycleLag.add(Math.max(0, lagNanos));
    }

    FleetWindow window(double seconds) {
        return FleetWindow.of(this, seconds);
    }
}
