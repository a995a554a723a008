package io.pgha.node;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiverTest {
    static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void stuckWhenTheLastAttemptFailed() {
        assertThat(new Archiver(true, 10, 1, Optional.of(T), Optional.of(T.plusSeconds(5)), 0, 16 << 20).stuck()).isTrue();
        assertThat(new Archiver(true, 0, 3, Optional.empty(), Optional.of(T), 0, 16 << 20).stuck()).as("never archived anything").isTrue();
    }

    @Test
    void notStuckWhenALaterFileWentThroughOrWhenNotArchiving() {
        assertThat(new Archiver(true, 10, 1, Optional.of(T.plusSeconds(5)), Optional.of(T), 0, 16 << 20).stuck()).as("recovered").isFalse();
        assertThat(new Archiver(true, 10, 0, Optional.of(T), Optional.empty(), 0, 16 << 20).stuck()).isFalse();
        assertThat(new Archiver(false, 0, 3, Optional.empty(), Optional.of(T), 0, 16 << 20).stuck()).as("a replica with archive_mode on").isFalse();
        assertThat(Archiver.OFF.stuck()).isFalse();
    }

    @Test
    void lagIsTheReadySegmentsOnlyWhileArchiving() {
        assertThat(new Archiver(true, 10, 0, Optional.of(T), Optional.empty(), 3, 16 << 20).lagBytes()).isEqualTo(48L << 20);
        assertThat(new Archiver(false, 10, 0, Optional.of(T), Optional.empty(), 3, 16 << 20).lagBytes())
                .as("a replica keeps .ready files it will never archive").isZero();
    }
}
