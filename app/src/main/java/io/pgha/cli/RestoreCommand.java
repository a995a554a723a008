package io.pgha.cli;

import io.pgha.backup.Backrest;
import io.pgha.backup.RestoreTarget;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.Lsn;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/** {@code pgha restore}: a point-in-time restore from the repository into a new data directory, or in place of this member's. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore the cluster of pgha.yml's backup section from its pgBackRest repository into a new, empty directory, replaying WAL up to the target and promoting there: a new cluster, which does not archive into the old one's stanza. Nothing existing is touched.",
                "With --replace SCOPE instead of --target-dir: the same cluster, in place. With pgha stopped on every member, this member's data_dir is renamed aside, restored, replayed to the target and promoted, and the DCS keeps the cluster's identity but forgets the replaced history.",
                "Exit: 0 restored; 1 refused or failed, with the reason; 2 bad arguments."})
public final class RestoreCommand implements Callable<Integer> {
    @Mixin
    MemberConfig config = new MemberConfig();

    @ArgGroup(multiplicity = "1")
    Target target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--target-dir", description = "Where the restored data directory goes, as a new cluster: must not exist or be empty.")
        Path targetDir;

        @Option(names = "--replace", paramLabel = "SCOPE", description = "Replace this member's data_dir with the restore, as the same cluster:"
                + " type the scope of -c's pgha.yml to confirm. pgha must be stopped on every member; the old data_dir is renamed, not deleted.")
        String replace;
    }

    static final class Target {
        @Option(names = "--to-time", description = "An ISO-8601 time with offset, e.g. 2026-12-07T12:00:00Z.")
        String time;

        @Option(names = "--to-lsn", description = "An LSN, e.g. 0/3000060.")
        String lsn;

        @Option(names = "--latest", description = "The end of the archive.")
        boolean latest;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RestoreTarget at;
        if (target.time != null) {
            try {
                at = new RestoreTarget.Time(OffsetDateTime.parse(target.time).toInstant());
            } catch (DateTimeParseException e) {
                err.println("--to-time " + target.time + ": expected an ISO-8601 time with offset, like 2026-12-07T12:00:00Z");
                return 2;
            }
        } else if (target.lsn != null) {
            at = new RestoreTarget.Lsn(target.lsn);
        } else {
            at = new RestoreTarget.Latest();
        }
        RestoreTarget chosen = at;
        if (destination.replace != null) {
            return BackupCommand.guarded(err, () -> replace(chosen, out));
        }
        Path targetDir = destination.targetDir;
        return BackupCommand.guarded(err, () -> {
            Backrest b = new Backrest(config.load());
            b.writeConfig();
            long started = System.nanoTime();
            b.restore(chosen, targetDir.toAbsolutePath(), line -> out.println("  " + line));
            out.printf("restored stanza %s to %s into %s in %.1f s; start it as a new cluster (it replays to the target and promotes),"
                    + " e.g. with a pgha.yml whose data_dir is %s and a scope of its own%n", b.conf().stanza(), chosen.describe(), targetDir,
                    (System.nanoTime() - started) / 1e9, targetDir);
            out.flush();
            return 0;
        });
    }

    private int replace(RestoreTarget at, PrintWriter out) {
        PghaConfig cfg = config.load();
        long started = System.nanoTime();
        InPlaceRestore.Outcome o = new InPlaceRestore(cfg, line -> out.println("  " + line)).run(destination.replace, at);
        out.printf("restored scope %s to %s in %s in %.1f s: now timeline %d at %s (branched from timeline %d at %s); %s;"
                        + " next: start pgha on %s first (it leads), then on the other members: they hold the replaced history on an older timeline,"
                        + " never lead with it, and are rewound under the leader (use_pg_rewind) or need pgha reinit <member>%n",
                cfg.scope(), at.describe(), cfg.postgresql().dataDir(), (System.nanoTime() - started) / 1e9, o.promoted().timeline(),
                Lsn.format(o.promoted().flushLsn()), o.promoted().parentTimeline(), Lsn.format(o.promoted().switchLsn()),
                o.oldDataDir().map(p -> "the old data directory is " + p).orElse("there was no old data directory"), cfg.name());
        out.flush();
        return 0;
    }
}
