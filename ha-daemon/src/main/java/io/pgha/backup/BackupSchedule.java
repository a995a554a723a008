package io.pgha.backup;

import io.pgha.config.Cron;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Which scheduled backup is due, as a pure function of the time, the two schedules and the last
 * claimed run. Only the latest slot counts: a leader that comes after an outage (or a failover at
 * the scheduled minute) runs the slot it missed once, not every slot it missed.
 */
public final class BackupSchedule {
    /** How long after a failed run the same slot is tried again. */
    public static final Duration RETRY = Duration.ofMinutes(10);

    private final Optional<Cron> full;
    private final Optional<Cron> diff;
    private final ZoneId zone;

    public BackupSchedule(Optional<Cron> full, Optional<Cron> diff, ZoneId zone) {
        this.full = full;
        this.diff = diff;
        this.zone = zone;
    }

    /** A slot of the schedule and the type it calls for. */
    public record Due(Instant slot, BackupType type, String why) {
    }

    public Optional<Due> due(Instant now, Optional<BackupRun> last) {
        Optional<Instant> f = full.flatMap(c -> c.latestAtOrBefore(now, zone));
        Optional<Instant> d = diff.flatMap(c -> c.latestAtOrBefore(now, zone));
        if (f.isEmpty() && d.isEmpty()) {
            return Optional.empty();
        }
        // A full backup wins a minute both schedules name; otherwise the later slot.
        boolean fullSlot = d.isEmpty() || f.isPresent() && !f.get().isBefore(d.get());
        Instant slot = fullSlot ? f.get() : d.get();
        BackupType type = fullSlot ? BackupType.FULL : BackupType.DIFF;
        if (last.isEmpty() || last.get().slot().isBefore(slot)) {
            return Optional.of(new Due(slot, type, "slot " + slot + " of " + (fullSlot ? "full " + full.get() : "diff " + diff.get())
                    + " not run yet"));
        }
        BackupRun run = last.get();
        if (run.slot().isAfter(slot)) {
            return Optional.empty(); // claimed by a member whose clock or schedule is ahead: not ours to repeat
        }
        return switch (run.state()) {
            case DONE -> Optional.empty();
            // Claimed but not finished: its member died or lost the lead, since only the leader runs it.
            case RUNNING -> Optional.of(new Due(slot, run.type(), "slot " + slot + " was claimed by " + run.member() + " and never finished"));
            case FAILED -> Duration.between(run.updated(), now).compareTo(RETRY) >= 0
                    ? Optional.of(new Due(slot, run.type(), "slot " + slot + " failed on " + run.member() + " at " + run.updated() + "; trying again"))
                    : Optional.empty();
        };
    }
}
