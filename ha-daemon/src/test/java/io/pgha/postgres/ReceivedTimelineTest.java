package io.pgha.postgres;

import io.pgha.node.Archiver;
import io.pgha.node.PgSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedTimelineTest {
    private static final Instant STARTED = Instant.parse("2026-11-22T10:00:00Z");

    private static PgSnapshot standby(long timeline, String receiver, Instant started) {
        return new PgSnapshot("running", "replica", true, true, Optional.of("1"), timeline, 0, 0, 0, Optional.empty(), false,
                receiver, 150000, Optional.of(started), List.of(), false, Map.of(), Archiver.OFF);
    }

    private final ReceivedTimeline tracker = new ReceivedTimeline();

    @Test
    void aStandbyWhoseUpstreamDiedKeepsTheTimelineItLastStreamed() {
        tracker.apply(standby(3, "streaming", STARTED));
        // Receiver gone: the probe falls back to pg_control's restartpoint timeline, still 2.
        assertThat(tracker.apply(standby(2, "", STARTED)).timeline()).isEqualTo(3);
    }

    @Test
    void aReceiverRetryingTheDeadUpstreamDoesNotLowerIt() {
        tracker.apply(standby(3, "streaming", STARTED));
        assertThat(tracker.apply(standby(2, "waiting", STARTED)).timeline()).isEqualTo(3);
    }

    @Test
    void aRestartedPostmasterStartsAfresh() {
        tracker.apply(standby(3, "streaming", STARTED));
        assertThat(tracker.apply(standby(2, "", STARTED.plusSeconds(5))).timeline()).isEqualTo(2);
    }

    @Test
    void aNewerTimelineFromPgControlIsNotLowered() {
        tracker.apply(standby(2, "streaming", STARTED));
        assertThat(tracker.apply(standby(4, "", STARTED)).timeline()).isEqualTo(4);
    }

    @Test
    void primariesPassThrough() {
        PgSnapshot primary = new PgSnapshot("running", "primary", true, false, Optional.of("1"), 5, 0, 0, 0, Optional.empty(), false,
                "", 150000, Optional.of(STARTED), List.of(), false, Map.of(), Archiver.OFF);
        tracker.apply(standby(7, "streaming", STARTED));
        assertThat(tracker.apply(primary)).isSameAs(primary);
    }
}
