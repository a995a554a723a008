package io.pgha.ha;


import java.util.List;
import java.util.OptionalLong;

/**
 * Whether the synchronous_standby_names in force covers every commit made so far. A commit
 * acknowledged under an earlier value may sit only on standbys the current value no longer names;
 * once {@code count} of the current standbys have flushed past a WAL position taken after the new
 * value took effect, every earlier commit is on them too. Walsenders take a reload at their next
 * wake-up; the position is read no sooner than {@link #SETTLE_NANOS} after the change so that none
 * still acknowledges under the old value. Confirmation, once reached, holds until the value changes.
 */
public final class SyncConfirmation {
    static final long SETTLE_NANOS = 200_000_000L;

    private String value;
    private long changedAtNanos;
    private OptionalLong threshold = OptionalLong.empty();
    private boolean confirmed;

    /** The value was just set by us at {@code nowNanos}. */
    public void changed(StandbyNames guc, long nowNanos) {
        value = guc.render();
        changedAtNanos = nowNanos;
        threshold = OptionalLong.empty();
        confirmed = guc.isEmpty();
    }

    /** Whether the caller should read the leader's flush LSN now and hand it to {@link #threshold(long)}. */
    public boolean wantsThreshold(StandbyNames guc, long nowNanos) {
        if (!guc.render().equals(value)) {
            // Not set by us in this run (a restart, an edit by hand): confirm it afresh from now on.
            changed(guc, nowNanos - SETTLE_NANOS);
        }
        return !confirmed && threshold.isEmpty() && nowNanos - changedAtNanos >= SETTLE_NANOS;
    }

    public void threshold(long flushLsn) {
        threshold = OptionalLong.of(flushLsn);
    }

    /** Whether {@code guc} is confirmed, judged from these pg_stat_replication rows. */
    public boolean confirmed(StandbyNames guc, List<ReplicationPeer> rows) {
        if (!guc.render().equals(value)) {
            return false;
        }
        if (confirmed || threshold.isEmpty()) {
            return confirmed;
        }
        long past = rows.stream().filter(r -> "streaming".equals(r.state()) && guc.names().contains(r.applicationName())
                && r.flushLsn() >= threshold.getAsLong()).count();
        confirmed = past >= guc.count();
        return confirmed;
    }

    public OptionalLong threshold() {
        return threshold;
    }
}
