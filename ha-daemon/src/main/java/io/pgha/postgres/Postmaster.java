package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;
import io.pgha.postgres.Postgres.StopMode;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts, stops, fences and reloads the postmaster of our data directory. */
final class Postmaster {
    private final PostgresqlConfig config;
    private final String member;
    private final PgBinaries bin;
    private final PgConf conf;
    private final PgProbe probe;
    private final ExitWatch exitWatch;

    Postmaster(PostgresqlConfig config, String member, PgBinaries bin, PgConf conf, PgProbe probe, ExitWatch exitWatch) {
        this.config = config;
        this.member = member;
        this.bin = bin;
        this.conf = conf;
        this.probe = probe;
        this.exitWatch = exitWatch;
    }

    /** The postmaster's PID when one runs for our data directory. */
    Optional<Long> pid() {
        return PostmasterLock.runningPid(config.dataDir());
    }

    /**
     * Starts the postmaster. A standby gets {@code standby.signal} and, if known, its upstream; a
     * primary never keeps a {@code standby.signal}.
     */
    CommandResult start(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) {
        conf.writePassfile();
        conf.write(standby, upstream, member, dynamicParameters);
        PostmasterLock.removeIfDead(config.dataDir());
        // A standby may need WAL from a leader that has no slot for it yet (it creates one when it sees
        // our member key, which we publish after this cycle): waiting for consistency here could hold
        // the loop for all of pg_ctl_timeout. A few seconds, then the loop watches it start.
        Duration wait = standby ? Duration.ofSeconds(Math.min(5, config.pgCtlTimeout().toSeconds())) : config.pgCtlTimeout();
        CommandResult r = bin.run("pg_ctl", List.of("start", "-D", config.dataDir().toString(), "-w",
                "-t", Long.toString(wait.toSeconds()), "-l", logFile().toString()), wait.plusSeconds(5), Map.of());
        pid().ifPresent(exitWatch::watch);
        if (!r.ok() && standby && r.output().contains("did not start in time") && pid().isPresent()) {
            return new CommandResult(r.what(), 0, "running, still recovering towards a consistent state", false);
        }
        if (!r.ok()) {
            // pg_ctl only says "Examine the log output"; the server's own last words say why.
            String why = LogLines.last(logFile());
            return new CommandResult(r.what(), r.exitCode(), r.output() + (why.isEmpty() ? "" : "\n" + why), r.timedOut());
        }
        return r;
    }

    Path logFile() {
        return config.dataDir().resolveSibling(config.dataDir().getFileName() + ".log");
    }

    CommandResult stop(StopMode mode) {
        exitWatch.forget(); // an exit we caused is not news
        return bin.run("pg_ctl", List.of("stop", "-D", config.dataDir().toString(), "-m", mode.arg(), "-w",
                "-t", Long.toString(config.pgCtlTimeout().toSeconds())), config.pgCtlTimeout().plusSeconds(5), Map.of());
    }

    /**
     * Stops writes now, from any thread, without waiting for anything that could hang: SIGQUIT is
     * PostgreSQL's immediate shutdown. The backends get it directly too: a postmaster that is
     * stopped (SIGSTOP, a hung machine) passes nothing on, and a backend resumed before it could
     * still acknowledge a commit. Returns what it did, for the caller's log line.
     */
    String fence() {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            return "no postmaster running";
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-QUIT", Long.toString(pid.get())));
        List<Long> children = Processes.children(pid.get());
        children.forEach(c -> cmd.add(Long.toString(c)));
        CommandResult r = PgBinaries.exec("kill", cmd, Duration.ofSeconds(2), Map.of());
        // kill fails for a child that exited meanwhile; the postmaster's own signal is what counts.
        return r.ok() || children.size() > 0 ? "sent SIGQUIT (immediate shutdown) to postmaster " + pid.get() + " and its "
                + children.size() + " child process(es)" : r.describe();
    }

    /** Rewrites the configuration files and has the running server reload them. */
    void reload(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) throws SQLException {
        // The new primary_conninfo names our passfile; one another daemon wrote (Patroni keeps only the
        // primary it followed) would leave the re-pointed standby without a password.
        conf.writePassfile();
        conf.write(standby, upstream, member, dynamicParameters);
        probe.execute("SELECT pg_reload_conf()");
    }
}
