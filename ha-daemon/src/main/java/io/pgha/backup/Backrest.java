package io.pgha.backup;

import io.pgha.config.PghaConfig;
import io.pgha.postgres.PgConf;
import io.pgha.postgres.PgOsUser;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs pgBackRest for this member, as PostgreSQL's OS user and with the configuration pgha
 * writes: creating the stanza, backing up, reading the repository, checking the archive, restoring.
 */
public final class Backrest {
    /** The annotation that records which member took a backup, shown by {@code pgha backup list}. */
    static final String MEMBER_ANNOTATION = "pgha-member";
    private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    private final PghaConfig config;
    private final BackrestConf conf;
    private final PgOsUser user;
    private final Path passfile;

    public Backrest(PghaConfig config) {
        this.config = config;
        this.conf = new BackrestConf(config.backup().orElseThrow(() -> new BackupException(
                "pgha.yml has no backup section: add backup: {repo_path: /pg/backup} to use pgBackRest")), config.postgresql(), config.scope());
        this.user = PgOsUser.forDataDirectory(config.postgresql().dataDir());
        this.passfile = new PgConf(config.postgresql(), config.scope(), user).passfile();
    }

    public BackrestConf conf() {
        return conf;
    }

    /** Writes pgBackRest's configuration and makes the repository directory PostgreSQL's user owns. */
    public void writeConfig() {
        user.writePrivate(conf.file(), conf.render());
        Path repo = config.backup().orElseThrow().repoPath();
        if (!Files.exists(repo)) {
            user.createPrivateDirectory(repo);
        }
    }

    public RepositoryInfo info() {
        Result r = run(List.of("--output=json", "info"), Duration.ofMinutes(2), line -> { });
        if (r.exit() != 0) {
            throw new BackupException("pgbackrest info failed (exit " + r.exit() + "): " + r.lastLines());
        }
        return RepositoryInfo.parse(r.output(), conf.stanza());
    }

    /** Creates the stanza when the repository has none yet; true when it did. */
    public boolean ensureStanza(Consumer<String> progress) {
        if (info().exists()) {
            return false;
        }
        Result r = run(List.of("stanza-create"), Duration.ofMinutes(10), progress);
        if (r.exit() != 0) {
            throw new BackupException("pgbackrest stanza-create failed (exit " + r.exit() + "): " + r.lastLines());
        }
        return true;
    }

    /** A backup of this member's PostgreSQL, which must be the primary; pgBackRest's progress goes to {@code progress}. */
    public BackupSet backup(BackupType type, Consumer<String> progress) {
        List<String> args = List.of("--type=" + type.key(), "--annotation=" + MEMBER_ANNOTATION + "=" + config.name(), "--log-level-console=info",
                "backup");
        Result r = run(args, Duration.ofHours(24), progress);
        if (r.exit() != 0) {
            throw new BackupException("pgbackrest backup --type=" + type.key() + " failed (exit " + r.exit() + "): " + r.lastLines());
        }
        return info().latest().orElseThrow(() -> new BackupException("pgbackrest reported success but lists no backup"));
    }

    /** pgBackRest's own check: the archive command works and WAL reaches the repository. */
    public Result check(Consumer<String> progress) {
        return run(List.of("--log-level-console=info", "check"), Duration.ofMinutes(5), progress);
    }

    /**
     * Restores into {@code target}, a directory that does not exist or is empty, stopping at
     * {@code at} and promoting there. The restored server does not archive: it is a new cluster,
     * and its WAL must not mix with the archive of the one it came from.
     */
    public void restore(RestoreTarget at, Path target, Consumer<String> progress) {
        refuseNonEmpty(target);
        checkRestorable(at);
        restoreInto(at, target, List.of("--archive-mode=off"), progress);
    }

    /**
     * Restores this member's own data directory, which must not exist or be empty, for a restore of
     * the same cluster in place: unlike {@link #restore}, archiving stays on, because the restored
     * server's new timeline continues this stanza and the next replicas and restores need its WAL.
     */
    public void restoreReplacing(RestoreTarget at, Consumer<String> progress) {
        Path data = config.postgresql().dataDir();
        refuseNonEmpty(data);
        checkRestorable(at);
        restoreInto(at, data, List.of(), progress);
    }

    /** Refuses, changing nothing, a target the repository cannot reach: no backup, a time outside the archive, a malformed LSN. */
    public void checkRestorable(RestoreTarget at) {
        RepositoryInfo info = info();
        if (!info.exists() || info.backups().isEmpty()) {
            throw new BackupException("the repository holds no backup of stanza " + conf.stanza() + ": nothing to restore from");
        }
        if (at instanceof RestoreTarget.Time t) {
            Instant earliest = info.earliestRestorable().orElseThrow();
            // pgBackRest picks a set whose stop is before the target in whole seconds: a target in the second a backup ended finds none.
            if (!earliest.isBefore(t.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
                throw new BackupException("--to-time " + t.at() + " is before the archive's range: the earliest restorable time is " + earliest
                        + ", the end of the oldest backup " + info.backups().get(0).label());
            }
            if (t.at().isAfter(Instant.now())) {
                throw new BackupException("--to-time " + t.at() + " is in the future: the archive ends now at the latest");
            }
        }
        if (at instanceof RestoreTarget.Lsn l && !LSN.matcher(l.lsn()).matches()) {
            throw new BackupException("--to-lsn " + l.lsn() + " is not an LSN like 0/3000060");
        }
    }

    private void restoreInto(RestoreTarget at, Path target, List<String> archive, Consumer<String> progress) {
        if (!Files.exists(target)) {
            user.createPrivateDirectory(target);
        }
        List<String> args = new ArrayList<>(at.arguments());
        args.add("--target-action=promote");
        args.addAll(archive);
        args.addAll(List.of("--pg1-path=" + target, "--log-level-console=info", "restore"));
        Result r = run(args, Duration.ofHours(24), progress);
        if (r.exit() != 0) {
            throw new BackupException("pgbackrest restore failed (exit " + r.exit() + "): " + r.lastLines());
        }
    }

    /**
     * A new replica from the repository instead of from the leader: the latest backup restored as a
     * standby into this member's empty data directory; it catches up from the archive and then
     * streams. The leader is not read at all.
     */
    public Result restoreStandby(Consumer<String> progress) {
        Path data = config.postgresql().dataDir();
        refuseNonEmpty(data);
        if (!Files.exists(data)) {
            user.createPrivateDirectory(data);
        }
        return run(List.of("--type=standby", "--log-level-console=info", "restore"), Duration.ofHours(24), progress);
    }

    private static void refuseNonEmpty(Path target) {
        try {
            if (Files.isRegularFile(target)) {
                throw new BackupException("--target-dir " + target + " is a file, not a directory");
            }
            if (Files.isDirectory(target)) {
                try (var s = Files.list(target)) {
                    if (s.findAny().isPresent()) {
                        throw new BackupException("--target-dir " + target + " is not empty: pgha restores only into a new or empty"
                                + " directory and never deletes one; move it aside or name another");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target, e);
        }
    }

    /** What a pgBackRest run printed (stdout and stderr together) and how it ended. */
    public record Result(int exit, String output) {
        String lastLines() {
            List<String> lines = output.strip().lines().toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        }
    }

    Result run(List<String> args, Duration timeout, Consumer<String> lines) {
        List<String> command = new ArrayList<>(List.of(conf.executable().toString(), "--config=" + conf.file(), "--stanza=" + conf.stanza()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(user.wrap(command)).redirectErrorStream(true);
        b.environment().putAll(user.environment());
        b.environment().put("PGPASSFILE", passfile.toString());
        b.environment().remove("NOTIFY_SOCKET");
        b.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (user.switchFromRoot()) {
            b.directory(new File("/")); // the postgres user may not enter the caller's working directory
        }
        Process p;
        try {
            p = b.start();
        } catch (IOException e) {
            throw new BackupException("cannot run " + conf.executable() + ": " + e.getMessage() + " (is pgBackRest installed?)");
        }
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                lines.accept(line);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "timed out after " + timeout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted");
        }
        return new Result(p.exitValue(), out.toString());
    }
}
