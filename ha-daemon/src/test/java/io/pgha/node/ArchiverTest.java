package io.pgha.node;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiverTest {
    static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void stuckWhenTheLastAttemptFailed() {
        assertThat(new Archiver(true, 10, 1, Optional.of(T), Optional.of(T.plusSeconds(5))).stuck()).isTrue();
        assertThat(new Archiver(true, 0, 3, Optional.empty(), Optional.of(T)).stuck()).as("never archived anything").isTrue();
    }

    @Test
    void notStuckWhenALaterFileWentThroughOrWhenNotArchiving() {
        assertThat(new Archiver(true, 10, 1, Optional.of(T.plusSeconds(5)), Optional.of(T)).stuck()).as("recovered").isFalse();
        assertThat(new Archiver(true, 10, 0, Optional.of(T), Optional.empty()).stuck()).isFalse();
        assertThat(new Archiver(false, 0, 3, Optional.empty(), Optional.of(T)).stuck()).as("a replica with archive_mode on").isFalse();
        assertThat(Archiver.OFF.stuck()).isFalse();
    }
}
