package io.pgha.haproxy.bridge;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * When the bridge reads the cluster and pushes again without an event telling it to: every
 * {@link #RESYNC}, and {@link Bridge#RETRY} after the DCS or HAProxy could not be reached. Times are
 * {@link System#nanoTime()} readings, passed in; whether one has come is decided by difference.
 *
 * @param resyncAt empty until the first reconcile
 * @param retryAt empty while the last reconcile reached everything
 */
record ReadSchedule(OptionalLong resyncAt, OptionalLong retryAt) {
    /** Backstop for anything the watch could not tell us (HAProxy restarted, a state changed by hand). */
    static final Duration RESYNC = Duration.ofSeconds(5);

    static final ReadSchedule BEFORE_FIRST_RECONCILE = new ReadSchedule(OptionalLong.empty(), OptionalLong.empty());

    /** A reconcile starts at {@code now}: it settles any pending retry and starts the resync period anew. */
    ReadSchedule reconciling(long now) {
        return new ReadSchedule(OptionalLong.of(now + RESYNC.toNanos()), OptionalLong.empty());
    }

    /** The DCS or HAProxy could not be reached at {@code now}. */
    ReadSchedule retry(long now) {
        return new ReadSchedule(resyncAt, OptionalLong.of(now + Bridge.RETRY.toNanos()));
    }

    /** Whether a cycle with no event to react to reconciles anyway. */
    boolean due(long now) {
        return dueNow(resyncAt, now) || dueNow(retryAt, now);
    }

    /** How long the loop may wait for events before it has something to do (a reconcile or {@code reload}). */
    long millisUntilDue(long now, ReloadSchedule reload) {
        if (resyncAt.isEmpty()) {
            return 0; // nothing to wait for: the first reconcile is still to come
        }
        long due = resyncAt.getAsLong();
        if (retryAt.isPresent()) {
            due = Math.min(due, retryAt.getAsLong());
        }
        if (reload.dueAt().isPresent()) {
            due = Math.min(due, reload.dueAt().getAsLong());
        }
        return Math.max(0, (due - now) / 1_000_000);
    }

    private static boolean dueNow(OptionalLong at, long now) {
        return at.isPresent() && now - at.getAsLong() >= 0;
    }
}
