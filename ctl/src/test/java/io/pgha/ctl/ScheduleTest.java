package io.pgha.ctl;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    @Test
    void nowAndNothingMeanImmediately() {
        assertThat(Schedule.parse(null, NOW, ZONE)).isEmpty();
        assertThat(Schedule.parse("now", NOW, ZONE)).isEmpty();
    }

    @Test
    void isoWithOffsetAndLocalTimeInTheOperatorsZone() {
        assertThat(Schedule.parse("2030-01-01T14:00+01:00", NOW, ZONE)).contains(OffsetDateTime.parse("2030-01-01T14:00+01:00"));
        assertThat(Schedule.parse("2030-01-01T14:00", NOW, ZONE)).contains(OffsetDateTime.parse("2030-01-01T14:00+01:00"));
    }

    @Test
    void thePastAndGarbageAreRefused() {
        assertThatThrownBy(() -> Schedule.parse("2030-01-01T12:00:00Z", NOW, ZONE)).hasMessageContaining("is in the past");
        assertThatThrownBy(() -> Schedule.parse("tomorrow", NOW, ZONE)).hasMessageContaining("expected ISO 8601");
    }
}
