package io.pgha.cli;

import io.pgha.backup.Backrest;
import io.pgha.backup.BackupException;
import io.pgha.backup.BackupSet;
import io.pgha.backup.BackupType;
import io.pgha.backup.RepositoryInfo;
import io.pgha.config.ConfigException;
import io.pgha.config.PghaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code pgha backup}: a pgBackRest backup of this member now, and what the repository holds. */
@Command(name = "backup", mixinStandardHelpOptions = true, subcommands = {BackupCommand.ListBackups.class, BackupCommand.CheckArchive.class},
        description = {"Back up this member's PostgreSQL with pgBackRest now, into the repository of pgha.yml's backup section (the stanza is created the first time). This member must be the primary.",
                "Exit: 0 backed up (or, with --if-leader, not the leader); 1 refused or failed, with the reason; 2 bad arguments."})
public final class BackupCommand implements Callable<Integer> {
    // Not required by picocli: `backup list -c` gives -c to the subcommand, and the parent would
    // refuse to parse without one of its own.
    @Option(names = {"-c", "--config"}, description = "This member's pgha.yml (required).")
    Path config;

    @Option(names = "--type", defaultValue = "full", description = "full, diff (changes since the last full) or incr (since the last backup); default ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--if-leader", description = "Do nothing, successfully, unless this member is the primary: for cron on every member.")
    boolean ifLeader;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (config == null) {
            err.println("pgha backup needs -c <pgha.yml>: this member's config, for the repository and stanza");
            return 2;
        }
        Optional<BackupType> t = BackupType.ofKey(type);
        if (t.isEmpty()) {
            err.println("--type " + type + ": expected full, diff or incr");
            return 2;
        }
        return guarded(err, () -> {
            PghaConfig cfg = PghaConfig.load(config, System.getenv());
            Optional<String> notPrimary = notPrimary(cfg);
            if (notPrimary.isPresent()) {
                if (ifLeader) {
                    out.println(cfg.name() + " is not the primary (" + notPrimary.get() + "): nothing to do");
                    return 0;
                }
                throw new BackupException(cfg.name() + " is not the primary (" + notPrimary.get() + "): run pgha backup on the leader,"
                        + " or use --if-leader on every member");
            }
            Backrest b = new Backrest(cfg);
            b.writeConfig();
            if (b.ensureStanza(line -> out.println("  " + line))) {
                out.println("created stanza " + b.conf().stanza());
            }
            long started = System.nanoTime();
            BackupSet set = b.backup(t.get(), line -> out.println("  " + line));
            out.printf("backup %s (%s) of %s done in %.1f s: %s to %s, %s%n", set.label(), set.type(), cfg.name(),
                    (System.nanoTime() - started) / 1e9, set.lsnStart(), set.lsnStop(), size(set.size()));
            out.flush();
            return 0;
        });
    }

    /** Empty when the local daemon says this member is the primary; else what it said. */
    static Optional<String> notPrimary(PghaConfig cfg) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://" + cfg.restapi().connectAddress() + "/primary");
        try {
            int code = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 ? Optional.empty() : Optional.of("GET " + uri + " answered " + code);
        } catch (IOException e) {
            return Optional.of("its daemon does not answer on " + uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    interface Body {
        int run() throws Exception;
    }

    static int guarded(PrintWriter err, Body body) {
        try {
            return body.run();
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println(p.path() + ": " + p.message()));
            return 1;
        } catch (BackupException e) {
            err.println(e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("failed: " + e);
            return 1;
        }
    }

    static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format("%.1f GiB", bytes / (double) (1 << 30))
                : bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / (double) (1 << 20)) : String.format("%.1f KiB", bytes / 1024.0);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The backups in the repository, oldest first, and the archive's range.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin
        MemberConfig config = new MemberConfig();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return guarded(spec.commandLine().getErr(), () -> {
                Backrest b = new Backrest(config.load());
                b.writeConfig();
                RepositoryInfo info = b.info();
                if (!info.exists()) {
                    out.println("stanza " + b.conf().stanza() + ": no backups yet (the first pgha backup creates it)");
                    return 0;
                }
                out.printf("%-34s %-5s %-20s %-20s %-18s %-18s %10s  %s%n", "SET", "TYPE", "START", "STOP", "LSN START", "LSN STOP", "SIZE", "MEMBER");
                for (BackupSet s : info.backups()) {
                    out.printf("%-34s %-5s %-20s %-20s %-18s %-18s %10s  %s%n", s.label(), s.type(), s.start(), s.stop(), s.lsnStart(), s.lsnStop(),
                            size(s.size()), s.member().orElse("-"));
                }
                out.println("archive: " + info.archiveMin().orElse("-") + " … " + info.archiveMax().orElse("-") + "; status: " + info.statusMessage());
                return 0;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check that WAL reaches the repository (pgBackRest's check, on the primary) and how old the last backup is.",
                    "Exit: 0 archive working and a backup younger than --max-age; 1 otherwise."})
    static final class CheckArchive implements Callable<Integer> {
        @Mixin
        MemberConfig config = new MemberConfig();

        @Option(names = "--max-age", defaultValue = "PT26H", description = "The oldest last backup that passes, ISO-8601 (default ${DEFAULT-VALUE}: a daily backup with slack).")
        Duration maxAge;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return guarded(err, () -> {
                Backrest b = new Backrest(config.load());
                b.writeConfig();
                Backrest.Result r = b.check(line -> { });
                boolean archiveOk = r.exit() == 0;
                out.println("archive: " + (archiveOk ? "WAL reaches the repository" : "not working: " + r.output().strip().replace('\n', ' ')));
                RepositoryInfo info = b.info();
                Optional<Instant> last = info.latest().map(BackupSet::stop);
                boolean fresh = last.map(l -> Duration.between(l, Instant.now()).compareTo(maxAge) <= 0).orElse(false);
                out.println("last backup: " + last.map(l -> l + " (" + Duration.between(l, Instant.now()).toMinutes() + " min ago)").orElse("none")
                        + (fresh ? "" : ", older than --max-age " + maxAge));
                return archiveOk && fresh ? 0 : 1;
            });
        }
    }
}
