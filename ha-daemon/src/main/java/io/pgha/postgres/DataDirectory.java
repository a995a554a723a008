package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The data directory as a whole: made by initdb or pg_basebackup, read by pg_controldata, set aside, removed. */
final class DataDirectory {
    // The parts of Postgres log under its name, which operators' log filters already know.
    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private final PostgresqlConfig config;
    private final String member;
    private final PgBinaries bin;
    private final PgConf conf;
    private final RewindMark rewindMark;

    DataDirectory(PostgresqlConfig config, String member, PgBinaries bin, PgConf conf, RewindMark rewindMark) {
        this.config = config;
        this.member = member;
        this.bin = bin;
        this.conf = conf;
        this.rewindMark = rewindMark;
    }

    Path path() {
        return config.dataDir();
    }

    boolean exists() {
        return Files.isRegularFile(config.dataDir().resolve("PG_VERSION"));
    }

    boolean hasStandbySignal() {
        return Files.exists(config.dataDir().resolve("standby.signal"));
    }

    ControlData controlData() {
        CommandResult r = bin.run("pg_controldata", List.of(config.dataDir().toString()), Duration.ofSeconds(10), Map.of()).orThrow();
        return ControlData.parse(r.output());
    }

    /** initdb as PostgreSQL's user, with the superuser and its password from config. */
    void initdb() {
        PgOsUser user = bin.user();
        user.createPrivateDirectory(config.dataDir());
        Path pwfile = config.dataDir().resolveSibling(config.dataDir().getFileName() + ".pwfile");
        user.writePrivate(pwfile, config.authentication().superuser().password() + "\n");
        try {
            List<String> args = new ArrayList<>(List.of("-D", config.dataDir().toString(),
                    "--username=" + config.authentication().superuser().username(), "--pwfile=" + pwfile,
                    "--auth-local=peer", "--auth-host=scram-sha-256"));
            config.initdb().forEach(o -> args.add(o.toArgument()));
            bin.run("initdb", args, Duration.ofMinutes(5), Map.of()).orThrow();
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", pwfile, e.getMessage());
            }
        }
    }

    /** pg_basebackup into an empty data directory, streaming WAL through this member's slot. */
    CommandResult cloneFrom(Upstream from) {
        conf.writePassfile();
        bin.user().createPrivateDirectory(config.dataDir());
        var auth = config.authentication();
        String conninfo = from.conninfo(auth.replication().username(), conf.passfile().toString(), member, null, auth.replicationSsl());
        if (from.remote()) {
            // The remote cluster keeps its own slots: use the one named for us there, never make one.
            List<String> args = new ArrayList<>(List.of("-D", config.dataDir().toString(), "-X", "stream", "-c", "fast", "--no-password",
                    "-d", conninfo));
            from.remoteSlot().ifPresent(s -> args.addAll(List.of("-S", s)));
            return bin.run("pg_basebackup", args, Duration.ofHours(6), Map.of());
        }
        List<String> base = List.of("-D", config.dataDir().toString(), "-X", "stream", "-c", "fast", "--no-password",
                "-d", conninfo, "-S", PgConf.slotName(member));
        List<String> withCreate = new ArrayList<>(base);
        withCreate.add("-C");
        Duration timeout = Duration.ofHours(6);
        CommandResult r = bin.run("pg_basebackup", withCreate, timeout, Map.of());
        if (!r.ok() && r.output().contains("already exists")) {
            // The leader made our slot already; an empty data directory is all a retry needs.
            clear(config.dataDir());
            r = bin.run("pg_basebackup", base, timeout, Map.of());
        }
        return r;
    }

    /**
     * Moves a data directory aside instead of deleting it: nothing is ever lost silently, even a
     * directory pgha judged unusable. Returns where it went.
     */
    Path moveAside(String why) {
        Path target = config.dataDir().resolveSibling(config.dataDir().getFileName() + "." + why + "." + Instant.now().getEpochSecond());
        try {
            Files.move(config.dataDir(), target);
            rewindMark.delete(); // it spoke of the directory that went aside
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + config.dataDir() + " aside to " + target, e);
        }
    }

    /** Deletes a data directory this daemon moved aside, once it is certainly not needed. */
    static void remove(Path dir) {
        clear(dir);
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** Removes what a failed clone left in a directory that was empty before it. */
    static void clear(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
