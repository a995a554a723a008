package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns this standby into a primary, on a timeline no other member has used. */
final class Promotion {
    private final PostgresqlConfig config;
    private final PgBinaries bin;
    private final PgProbe probe;

    Promotion(PostgresqlConfig config, PgBinaries bin, PgProbe probe) {
        this.config = config;
        this.bin = bin;
        this.probe = probe;
    }

    /**
     * Promotes and returns once the server accepts writes. pg_ctl's own wait polls every 100 ms;
     * a failover or switchover is measured in those, so we signal with pg_ctl and poll ourselves.
     */
    CommandResult promote() {
        CommandResult signalled = bin.run("pg_ctl", List.of("promote", "-D", config.dataDir().toString(), "-W"), Duration.ofSeconds(30), Map.of());
        if (!signalled.ok()) {
            return signalled;
        }
        long deadline = System.nanoTime() + config.pgCtlTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!probe.inRecovery()) {
                    return signalled;
                }
            } catch (SQLException e) {
                // the end-of-recovery checkpoint may hold connections back for a moment
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new CommandResult(signalled.what(), 1, "still in recovery after pg_ctl_timeout " + config.pgCtlTimeout().toSeconds() + " s", true);
    }

    /**
     * Makes the next promotion of a server on a timeline below {@code from} pick timeline {@code next} or later. PostgreSQL names the new
     * timeline one above the newest history file it can find, and a replica that never received a
     * timeline another member was promoted onto cannot see it: promoted, it would reuse the number
     * for a different history, and pg_rewind would then call the two "the same timeline" (the
     * chaos suite saw an old primary rejoin without a rewind that way). An empty history file per
     * missing number closes the gap; PostgreSQL only checks that it exists, and never reads it
     * because no timeline of this server descends from it.
     */
    List<Long> skipTimelines(long from, long next) {
        List<Long> placed = new ArrayList<>();
        Path wal = config.dataDir().resolve("pg_wal");
        for (long tl = Math.max(2, from); tl < next; tl++) {
            Path file = wal.resolve(String.format("%08X.history", tl));
            if (!Files.exists(file)) {
                bin.user().writePrivate(file, "# placeholder written by pgha: timeline " + tl
                        + " was used elsewhere in the cluster and must not be named again here\n");
                placed.add(tl);
            }
        }
        return placed;
    }
}
