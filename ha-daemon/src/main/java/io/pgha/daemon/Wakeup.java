package io.pgha.daemon;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Lets a DCS event, a PostgreSQL exit or a REST command start the next HA cycle at once. */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    private String why = "";

    void wake(String reason) {
        lock.lock();
        try {
            if (!pending) {
                why = reason;
            }
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or the timeout passes; returns the reason it was woken, or "" on timeout. */
    String await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (!pending && left > 0) {
                left = signalled.awaitNanos(left);
            }
            String reason = pending ? why : "";
            pending = false;
            why = "";
            return reason;
        } finally {
            lock.unlock();
        }
    }

    static long toNanos(Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }
}
