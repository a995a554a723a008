package io.pgha.node;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * PostgreSQL's WAL archiver on this node, from {@code pg_stat_archiver}. {@code enabled} when this
 * server archives at all: a primary with {@code archive_mode=on}, or any server with {@code always}.
 */
public record Archiver(boolean enabled, long archivedCount, long failedCount, Optional<Instant> lastArchived, Optional<Instant> lastFailed,
                       long readySegments, long segmentBytes) {
    public static final Archiver OFF = new Archiver(false, 0, 0, Optional.empty(), Optional.empty(), 0, 0);

    public Archiver {
        Objects.requireNonNull(lastArchived, "lastArchived");
        Objects.requireNonNull(lastFailed, "lastFailed");
    }

    /**
     * WAL completed but not yet archived, in bytes: the segments PostgreSQL has marked {@code .ready}
     * in {@code pg_wal/archive_status}. What a restore would lose if this node's disk went now.
     */
    public long lagBytes() {
        return enabled ? readySegments * segmentBytes : 0;
    }

    /** The last attempt failed: WAL is piling up in pg_wal instead of reaching the archive. */
    public boolean stuck() {
        return enabled && lastFailed.isPresent() && (lastArchived.isEmpty() || lastFailed.get().isAfter(lastArchived.get()));
    }
}
