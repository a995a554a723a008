package io.pgha.backup;

import io.pgha.config.Cron;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupScheduleTest {
    static final BackupSchedule NIGHTLY = new BackupSchedule(Optional.of(Cron.parse("0 1 * * *")), Optional.of(Cron.parse("0 */6 * * *")),
            ZoneOffset.UTC);
    static final Instant SLOT_01 = Instant.parse("2026-12-07T01:00:00Z");

    static Optional<BackupRun> run(Instant slot, BackupType type, BackupRun.State state, Instant updated) {
        return Optional.of(new BackupRun(slot, type, "node1", state, updated, ""));
    }

    @Test
    void theLatestSlotIsDueAndAFullWinsAMinuteBothName() {
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T01:00:20Z"), Optional.empty())).hasValueSatisfying(d -> {
            assertThat(d.slot()).isEqualTo(SLOT_01);
            assertThat(d.type()).isEqualTo(BackupType.FULL);
        });
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T07:10:00Z"), run(SLOT_01, BackupType.FULL, BackupRun.State.DONE, SLOT_01)))
                .hasValueSatisfying(d -> {
                    assertThat(d.slot()).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
                    assertThat(d.type()).isEqualTo(BackupType.DIFF);
                });
    }

    @Test
    void aScheduleOfDifferentialsOnlyIsOneToo() {
        // full: off, diff: hourly is a valid config; the daemon must not refuse to start on it.
        BackupSchedule diffs = new BackupSchedule(Optional.empty(), Optional.of(Cron.parse("0 * * * *")), ZoneOffset.UTC);
        assertThat(diffs.due(Instant.parse("2026-12-07T10:20:00Z"), Optional.empty())).hasValueSatisfying(d -> {
            assertThat(d.slot()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
            assertThat(d.type()).isEqualTo(BackupType.DIFF);
        });
    }

    @Test
    void aSlotDoneIsNotRunAgain() {
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T03:00:00Z"), run(SLOT_01, BackupType.FULL, BackupRun.State.DONE, SLOT_01))).isEmpty();
    }

    @Test
    void aSlotMissedDuringAnOutageRunsOnceWhenALeaderIsBack() {
        // No leader from 00:50 to 01:40: the slot of 01:00 is run at 01:40, by whoever leads then.
        Optional<BackupRun> yesterday = run(Instant.parse("2026-12-06T19:00:00Z"), BackupType.DIFF, BackupRun.State.DONE,
                Instant.parse("2026-12-06T19:03:00Z"));
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T01:40:00Z"), yesterday)).hasValueSatisfying(d -> assertThat(d.slot()).isEqualTo(SLOT_01));
    }

    @Test
    void aSlotClaimedByAMemberThatNeverFinishedIsRunByTheNextLeader() {
        Optional<BackupRun> died = run(SLOT_01, BackupType.FULL, BackupRun.State.RUNNING, SLOT_01);
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T01:02:00Z"), died)).hasValueSatisfying(d -> {
            assertThat(d.type()).isEqualTo(BackupType.FULL);
            assertThat(d.why()).contains("claimed by node1 and never finished");
        });
    }

    @Test
    void aFailedSlotIsTriedAgainOnlyAfterTheRetryPause() {
        Optional<BackupRun> failed = run(SLOT_01, BackupType.FULL, BackupRun.State.FAILED, Instant.parse("2026-12-07T01:05:00Z"));
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T01:10:00Z"), failed)).isEmpty();
        assertThat(NIGHTLY.due(Instant.parse("2026-12-07T01:15:00Z"), failed)).isPresent();
    }

    @Test
    void cronReadsCrontabFields() {
        Cron weekdays = Cron.parse("30 2 * * 1-5");
        assertThat(weekdays.latestAtOrBefore(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC)) // a Monday
                .contains(Instant.parse("2026-12-07T02:30:00Z"));
        assertThat(weekdays.latestAtOrBefore(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC)) // a Sunday: Friday's
                .contains(Instant.parse("2026-12-04T02:30:00Z"));
        assertThat(Cron.parse("*/15 * * * *").latestAtOrBefore(Instant.parse("2026-12-07T10:44:59Z"), ZoneOffset.UTC))
                .contains(Instant.parse("2026-12-07T10:30:00Z"));
        assertThatThrownBy(() -> Cron.parse("0 1 * *")).hasMessageContaining("expected 5 fields");
        assertThatThrownBy(() -> Cron.parse("0 9-3 * * *")).hasMessageContaining("hour: range 9-3 runs backwards");
    }

    @Test
    void theKeysValueSurvivesTheDcsAndForeignValuesAreIgnored() {
        BackupRun r = new BackupRun(SLOT_01, BackupType.DIFF, "node2", BackupRun.State.FAILED, SLOT_01.plusSeconds(5), "exit 82");
        assertThat(BackupRun.parse(r.toJson())).contains(r);
        assertThat(BackupRun.parse("{\"slot\":\"yesterday\"}")).isEmpty();
        assertThat(BackupRun.parse("not json")).isEmpty();
    }
}
