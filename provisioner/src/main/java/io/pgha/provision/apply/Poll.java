package io.pgha.provision.apply;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a remote condition (a REST answer, a member gone): asked again every interval until the deadline. */
final class Poll {
    private Poll() {
    }

    /**
     * True once {@code done} holds, false when the timeout passed first. An ApplyException from one
     * try (a member not answering for a moment) counts as "not yet".
     */
    static boolean until(Duration timeout, Duration interval, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (done.getAsBoolean()) {
                    return true;
                }
            } catch (ApplyException e) {
                // looked at again below, until the deadline
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(interval.toMillis()); // a remote state: polled, there is nothing to be woken by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while waiting");
            }
        }
    }
}
