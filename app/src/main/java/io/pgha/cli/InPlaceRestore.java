package io.pgha.cli;

import io.pgha.backup.BackupException;
import io.pgha.backup.Backrest;
import io.pgha.backup.RestoreTarget;
import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.HistoryEntry;
import io.pgha.postgres.PgOsUser;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.TargetedRecovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code pgha restore --replace}: this member's data directory replaced by a point-in-time restore
 * of the same cluster. The old directory is renamed, never deleted; the restored server replays to
 * the target and promotes here, outside any daemon, and the DCS forgets the replaced history.
 */
final class InPlaceRestore {
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    // Replaying a day of WAL takes a while; a restore that is still replaying is not a failure yet.
    private static final Duration RECOVERY_DEADLINE = Duration.ofHours(6);
    private static final Duration DCS_TIMEOUT = Duration.ofSeconds(10);

    /** What was done: the new timeline and position, and where the old data directory went, if there was one. */
    record Outcome(TargetedRecovery.Promoted promoted, Optional<Path> oldDataDir) {
    }

    private final PghaConfig config;
    private final Consumer<String> progress;

    InPlaceRestore(PghaConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    Outcome run(String typedScope, RestoreTarget at) {
        Path data = config.postgresql().dataDir();
        try (Dcs dcs = Dcs.open(config, DCS_TIMEOUT)) {
            Cluster before = dcs.read(Consistency.LINEARIZABLE);
            Optional<String> refused = ReplaceRefusals.check(typedScope, config, before, Postgres.postmasterPid(data));
            if (refused.isPresent()) {
                throw new BackupException(refused.get());
            }
            Backrest b = new Backrest(config);
            b.writeConfig();
            b.checkRestorable(at);
            Optional<Path> aside = moveAside(data);
            try {
                b.restoreReplacing(at, progress);
                TargetedRecovery.Promoted p = new TargetedRecovery(config.postgresql(), config.scope(), config.name(),
                        PgOsUser.forDataDirectory(data)).run(parameters(before, b), RECOVERY_DEADLINE);
                RestoreRecord.write(dcs, before, HistoryEntry.restore(p.timeline(), p.switchLsn(), at.describe(), Instant.now().toString(),
                        config.name()));
                return new Outcome(p, aside);
            } catch (RuntimeException e) {
                throw new BackupException(e.getMessage() + aside.map(a -> "; the old data directory is " + a + ": to undo, remove " + data
                        + " and rename " + a + " back").orElse(""));
            }
        }
    }

    /** The start's parameters as the daemon would give them: the DCS config's, and the archive's, so the new timeline's WAL reaches the repository. */
    private static Map<String, String> parameters(Cluster cluster, Backrest b) {
        DynamicConfig dynamic = cluster.config().map(c -> DynamicConfig.fromJson(c.value())).orElseGet(DynamicConfig::defaults);
        Map<String, String> p = new LinkedHashMap<>(dynamic.postgresql().parameters());
        p.putAll(b.conf().archiveParameters());
        return p;
    }

    private Optional<Path> moveAside(Path data) {
        if (!Files.exists(data)) {
            progress.accept(data + " does not exist: nothing to move aside");
            return Optional.empty();
        }
        Path aside = data.resolveSibling(data.getFileName() + ".before-restore-" + ASIDE.format(Instant.now()));
        try {
            Files.move(data, aside); // a rename on the same file system; it fails rather than overwrite an earlier one
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + data + " to " + aside + "; nothing changed", e);
        }
        progress.accept("renamed " + data + " to " + aside);
        return Optional.of(aside);
    }
}
