package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;
import io.pgha.dcs.model.Lsn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a restored data directory's targeted recovery to its end outside any HA loop: started with
 * this member's configuration, waited for until it has promoted at the target, read, and stopped
 * cleanly, so the daemon later finds a primary's clean shutdown on the new timeline.
 */
public final class TargetedRecovery {
    private final PostgresqlConfig config;
    private final String member;
    private final PgBinaries bin;
    private final PgConf conf;
    private final PgOsUser user;
    private static final List<String> RECOVERY_TARGETS = List.of("recovery_target", "recovery_target_time", "recovery_target_lsn",
            "recovery_target_xid", "recovery_target_name", "recovery_target_inclusive", "recovery_target_action");

    public TargetedRecovery(PostgresqlConfig config, String scope, String member, PgOsUser user) {
        this.config = config;
        this.member = member;
        this.bin = new PgBinaries(config.binDir(), user);
        this.conf = new PgConf(config, scope, user);
        this.user = user;
    }

    /** Where recovery ended: the new timeline, the one it branched from and where, and the flush LSN after promotion. */
    public record Promoted(long timeline, long parentTimeline, long switchLsn, long flushLsn) {
    }

    public Promoted run(Map<String, String> parameters, Duration deadline) {
        Path data = config.dataDir();
        conf.writePassfile();
        conf.write(false, Optional.empty(), member, parameters);
        // PgConf removes recovery.signal, which the daemon never keeps; here it is the point: pgBackRest's target settings only act with it.
        user.writePrivate(data.resolve("recovery.signal"), "");
        Path log = data.resolveSibling(data.getFileName() + ".log");
        CommandResult start = bin.run("pg_ctl", List.of("start", "-D", data.toString(), "-w", "-t", Long.toString(deadline.toSeconds()),
                "-l", log.toString()), deadline.plusSeconds(5), Map.of());
        if (!start.ok()) {
            throw new IllegalStateException("PostgreSQL did not start on the restored " + data + ": " + start.describe() + " " + LogLines.last(log));
        }
        try {
            String host = config.listen().host();
            try (PgProbe probe = new PgProbe(host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host, config.listen().port(),
                    config.authentication().superuser(), config.authentication().superuserSsl(), Duration.ofSeconds(10))) {
                awaitPromoted(probe, System.nanoTime() + deadline.toNanos(), log);
                // The targets are spent: a later start as a standby would otherwise stop and promote at them again, behind the HA loop's back.
                for (String target : RECOVERY_TARGETS) {
                    probe.execute("ALTER SYSTEM RESET " + target);
                }
                probe.execute("CHECKPOINT"); // the shutdown below then has little to write
                long timeline = probe.status().timeline();
                long flush = probe.flushLsn();
                long[] parent = switchPoint(data, timeline);
                return new Promoted(timeline, parent[0], parent[1], flush);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the restored server on " + data + " did not answer: " + e.getMessage());
        } finally {
            CommandResult stop = bin.run("pg_ctl", List.of("stop", "-D", data.toString(), "-m", "fast", "-w", "-t",
                    Long.toString(config.pgCtlTimeout().toSeconds())), config.pgCtlTimeout().plusSeconds(5), Map.of());
            if (!stop.ok()) {
                throw new IllegalStateException("could not stop the restored server on " + data + ": " + stop.describe());
            }
        }
    }

    private static void awaitPromoted(PgProbe probe, long until, Path log) {
        while (true) {
            try {
                if (!probe.inRecovery()) {
                    return;
                }
            } catch (SQLException e) {
                // still starting up or replaying before it accepts connections; the deadline decides
            }
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("the restored server did not reach its target and promote in time: " + LogLines.last(log));
            }
            try {
                Thread.sleep(500); // polling the server's own answer; there is nothing to be notified by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the restored server to promote");
            }
        }
    }

    /** The last line of the new timeline's history file: the timeline it branched from and the LSN where. */
    private static long[] switchPoint(Path data, long timeline) {
        Path file = data.resolve("pg_wal").resolve(String.format("%08X.history", timeline));
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            String[] f = lines.get(lines.size() - 1).trim().split("\\s+", 3);
            return new long[] {Long.parseLong(f[0]), Lsn.parse(f[1])};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
