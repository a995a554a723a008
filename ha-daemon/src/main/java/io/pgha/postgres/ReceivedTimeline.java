package io.pgha.postgres;

import io.pgha.node.PgSnapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * A standby's timeline, remembered across the moments its WAL receiver is down.
 *
 * <p>While it streams, {@code received_tli} says which timeline it follows. When the upstream dies,
 * the only other source PostgreSQL 15 offers on a standby is the last restartpoint's timeline in
 * pg_control, which lags a timeline switch until the next restartpoint. Falling back to it would
 * make a healthy replica of a just-dead leader look diverged. What a postmaster has once received
 * it keeps (a timeline never goes back without a restart: rewind and re-clone stop the server),
 * so the highest timeline seen streaming since this postmaster started stands.
 */
final class ReceivedTimeline {
    private Optional<Instant> postmasterStart = Optional.empty();
    private long highest;

    PgSnapshot apply(PgSnapshot s) {
        if (!s.inRecovery() || s.postmasterStartTime().isEmpty()) {
            return s;
        }
        if (!s.postmasterStartTime().equals(postmasterStart)) {
            postmasterStart = s.postmasterStartTime();
            highest = 0;
        }
        if ("streaming".equals(s.replicationState())) {
            highest = Math.max(highest, s.timeline());
        }
        // A receiver that is up but reconnecting reports no timeline either: the probe fell back.
        return highest > s.timeline() ? s.withTimeline(highest) : s;
    }
}
