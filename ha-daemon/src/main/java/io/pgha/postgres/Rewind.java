package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** pg_rewind from the leader, and what a failed one leaves behind. */
final class Rewind {
    private final PostgresqlConfig config;
    private final PgBinaries bin;
    private final PgConf conf;
    private final RewindMark mark;

    Rewind(PostgresqlConfig config, PgBinaries bin, PgConf conf, RewindMark mark) {
        this.config = config;
        this.bin = bin;
        this.conf = conf;
        this.mark = mark;
    }

    /** PostgreSQL 13+ runs crash recovery first when the target stopped uncleanly. */
    CommandResult from(Upstream from) {
        conf.writePassfile();
        try {
            // Single-user crash recovery, which pg_rewind runs on an unclean target, refuses standby mode.
            Files.deleteIfExists(config.dataDir().resolve("standby.signal"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // That single-user postgres also refuses a lock naming the crashed postmaster while it is an
        // unreaped zombie: what made a rejoin after a PostgreSQL-only crash fail three times and stop.
        PostmasterLock.removeIfDead(config.dataDir());
        var auth = config.authentication();
        String source = from.conninfo(auth.rewindRole().username(), conf.passfile().toString(), "pgha_rewind", "postgres",
                auth.rewindRoleSsl());
        // pg_rewind cut off half-way (the source restarting, a network cut) leaves a data directory
        // that must never be started as it is; the mark outlives a daemon restart, and stays only
        // when the attempt got that far (or found the target's own WAL unreadable).
        mark.write(from.member());
        CommandResult r = bin.run("pg_rewind", List.of("-D", config.dataDir().toString(), "--source-server=" + source, "--no-sync", "-P"),
                Duration.ofHours(1), Map.of());
        if (r.ok() || !leftTargetUnusable(r.output())) {
            mark.delete();
        }
        return r;
    }

    /** A pg_rewind failed on this data directory in a way that leaves it unusable. */
    boolean unfinished() {
        return mark.exists();
    }

    /**
     * Whether a failed pg_rewind leaves a data directory that must not be started or rewound again:
     * it had begun copying (pg_rewind changes the target only after "need to copy"), or it could not
     * read the target's own WAL or relate its history to the source's. The chaos suite met both: a
     * source restarting mid-copy, and replicas whose WAL pg_rewind could not read ("incorrect
     * prev-link"), after which every attempt failed the same way. A failure to connect changes nothing.
     */
    static boolean leftTargetUnusable(String output) {
        return output.contains("need to copy") || output.contains("could not read WAL record")
                || output.contains("could not find previous WAL record") || output.contains("could not find common ancestor");
    }
}
