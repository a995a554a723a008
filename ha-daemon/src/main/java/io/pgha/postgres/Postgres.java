package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;
import io.pgha.dcs.MonotonicClock;
import io.pgha.ha.PgState;
import io.pgha.node.PgSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This node's PostgreSQL: observes it and carries out what the HA loop decided. Only the HA loop
 * thread calls it, except {@link #fence()}, which the fencing timer may call at any moment.
 */
public final class Postgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private final PostgresqlConfig config;
    private final String member;
    private final PgBinaries bin;
    private final PgConf conf;
    private final PgProbe probe;
    private final MonotonicClock clock;
    private final ExitWatch exitWatch = new ExitWatch();
    private final ReceivedTimeline receivedTimeline = new ReceivedTimeline();
    private String lastKind = "";
    private long kindSince;

    public Postgres(PostgresqlConfig config, String scope, String member, PgOsUser user, Duration queryTimeout, MonotonicClock clock) {
        this.config = config;
        this.member = member;
        this.bin = new PgBinaries(config.binDir(), user);
        this.conf = new PgConf(config, scope, user);
        String host = config.listen().host();
        this.probe = new PgProbe(host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host,
                config.listen().port(), config.authentication().superuser(), queryTimeout);
        this.clock = clock;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Called (on some other thread) the moment the postmaster we watch exits. */
    public void onExit(Runnable callback) {
        exitWatch.onExit(callback);
    }

    public boolean hasDataDirectory() {
        return Files.isRegularFile(config.dataDir().resolve("PG_VERSION"));
    }

    public record Observed(PgState state, PgSnapshot snapshot) {
    }

    /** One look at PostgreSQL: the decision core's view and the published snapshot, consistently. */
    public Observed observe() {
        long now = clock.nanos();
        if (!hasDataDirectory()) {
            return new Observed(new PgState.Absent(), PgSnapshot.notRunning("stopped", "uninitialized"));
        }
        Optional<Long> pid = postmasterPid();
        if (pid.isPresent()) {
            exitWatch.watch(pid.get());
            try {
                PgSnapshot s = receivedTimeline.apply(probe.status());
                long sysid = s.systemId().map(Long::parseUnsignedLong).orElse(0L);
                PgState.Role role = s.inRecovery() ? PgState.Role.REPLICA : PgState.Role.PRIMARY;
                return new Observed(new PgState.Running(role, sysid, s.timeline(), s.walPosition(), since("running-" + role, now)), s);
            } catch (SQLException e) {
                // A live postmaster that does not answer is starting, recovering or shutting down.
                ControlData cd = controlData();
                return new Observed(new PgState.Starting(cd.systemId(), !standbySignal() && cd.stoppedAsPrimary(), since("starting", now)),
                        PgSnapshot.notRunning("starting", standbySignal() ? "replica" : "primary"));
            }
        }
        ControlData cd = controlData();
        boolean wasPrimary = !standbySignal() && cd.stoppedAsPrimary();
        PgSnapshot snap = new PgSnapshot(cd.cleanlyShutDown() ? "stopped" : "crashed", wasPrimary ? "primary" : "replica", false, !wasPrimary,
                cd.systemIdText(), cd.timeline(), 0, 0, 0, Optional.empty(), false, "", 0, Optional.empty(), List.of(), false, Map.of());
        return new Observed(new PgState.Stopped(cd.systemId(), cd.timeline(), wasPrimary, since("stopped", now)), snap);
    }

    private long since(String kind, long now) {
        if (!kind.equals(lastKind)) {
            lastKind = kind;
            kindSince = now;
        }
        return kindSince;
    }

    public ControlData controlData() {
        CommandResult r = bin.run("pg_controldata", List.of(config.dataDir().toString()), Duration.ofSeconds(10), Map.of()).orThrow();
        return ControlData.parse(r.output());
    }

    private boolean standbySignal() {
        return Files.exists(config.dataDir().resolve("standby.signal"));
    }

    /** The postmaster's PID when one runs for our data directory. */
    public Optional<Long> postmasterPid() {
        return postmasterPid(config.dataDir());
    }

    /** The running postmaster of {@code dataDir}, by its postmaster.pid; also what tests and the demo kill. */
    public static Optional<Long> postmasterPid(Path dataDir) {
        return PostmasterLock.runningPid(dataDir);
    }

    // ---- effects -------------------------------------------------------------------------------

    /** initdb as PostgreSQL's user, with the superuser and its password from config. */
    public void initdb() {
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

    /**
     * Starts the postmaster. A standby gets {@code standby.signal} and, if known, its upstream; a
     * primary never keeps a {@code standby.signal}.
     */
    public CommandResult start(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) {
        conf.writePassfile();
        conf.write(standby, upstream, member, dynamicParameters);
        PostmasterLock.removeIfDead(config.dataDir());
        // A standby may need WAL from a leader that has no slot for it yet (it creates one when it sees
        // our member key, which we publish after this cycle): waiting for consistency here could hold
        // the loop for all of pg_ctl_timeout. A few seconds, then the loop watches it start.
        Duration wait = standby ? Duration.ofSeconds(Math.min(5, config.pgCtlTimeout().toSeconds())) : config.pgCtlTimeout();
        CommandResult r = bin.run("pg_ctl", List.of("start", "-D", config.dataDir().toString(), "-w",
                "-t", Long.toString(wait.toSeconds()), "-l", logFile().toString()), wait.plusSeconds(5), Map.of());
        postmasterPid().ifPresent(exitWatch::watch);
        if (!r.ok() && standby && r.output().contains("did not start in time") && postmasterPid().isPresent()) {
            return new CommandResult(r.what(), 0, "running, still recovering towards a consistent state", false);
        }
        if (!r.ok()) {
            // pg_ctl only says "Examine the log output"; the server's own last words say why.
            String why = io.pgha.postgres.LogLines.last(logFile());
            return new CommandResult(r.what(), r.exitCode(), r.output() + (why.isEmpty() ? "" : "\n" + why), r.timedOut());
        }
        return r;
    }

    public Path logFile() {
        return config.dataDir().resolveSibling(config.dataDir().getFileName() + ".log");
    }

    public enum StopMode {
        FAST, IMMEDIATE;

        String arg() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CommandResult stop(StopMode mode) {
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
    public String fence() {
        Optional<Long> pid = postmasterPid();
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

    /**
     * Promotes and returns once the server accepts writes. pg_ctl's own wait polls every 100 ms;
     * a failover or switchover is measured in those, so we signal with pg_ctl and poll ourselves.
     */
    public CommandResult promote() {
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

    /** Re-points a running standby: PostgreSQL 13+ picks up primary_conninfo on reload. */
    public void follow(Optional<Upstream> upstream, Map<String, String> dynamicParameters) throws SQLException {
        reload(true, upstream, dynamicParameters);
    }

    /** Rewrites the configuration files and has the running server reload them. */
    public void reload(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) throws SQLException {
        conf.write(standby, upstream, member, dynamicParameters);
        probe.execute("SELECT pg_reload_conf()");
    }

    public String synchronousStandbyNames() throws SQLException {
        return probe.setting("synchronous_standby_names");
    }

    /**
     * Sets synchronous_standby_names through ALTER SYSTEM (postgresql.auto.conf wins over the file we
     * render) and reloads: the leader changes it while serving, without rewriting its configuration.
     */
    public void setSynchronousStandbyNames(String value) throws SQLException {
        probe.execute("ALTER SYSTEM SET synchronous_standby_names = '" + value.replace("'", "''") + "'");
        probe.execute("SELECT pg_reload_conf()");
    }

    /** Whether new transactions start read-only: how strict synchronous mode rejects writes. */
    public boolean defaultReadOnly() throws SQLException {
        return "on".equals(probe.setting("default_transaction_read_only"));
    }

    /**
     * Through ALTER SYSTEM like synchronous_standby_names, so that it survives a restart; a session
     * that turns it off for itself still cannot commit unprotected, the GUC makes it wait.
     */
    public void setDefaultReadOnly(boolean on) throws SQLException {
        probe.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only");
        probe.execute("SELECT pg_reload_conf()");
    }

    /** The primary's flush LSN now, as a byte position. */
    public long currentFlushLsn() throws SQLException {
        return probe.flushLsn();
    }

    public void checkpoint() throws SQLException {
        probe.execute("CHECKPOINT");
    }

    public void execute(String sql) throws SQLException {
        probe.execute(sql);
    }

    /** pg_basebackup into an empty data directory, streaming WAL through this member's slot. */
    public CommandResult cloneFrom(Upstream from) {
        conf.writePassfile();
        bin.user().createPrivateDirectory(config.dataDir());
        String conninfo = from.conninfo(config.authentication().replication().username(), conf.passfile().toString(), member, null);
        List<String> base = List.of("-D", config.dataDir().toString(), "-X", "stream", "-c", "fast", "--no-password",
                "-d", conninfo, "-S", PgConf.slotName(member));
        List<String> withCreate = new ArrayList<>(base);
        withCreate.add("-C");
        Duration timeout = Duration.ofHours(6);
        CommandResult r = bin.run("pg_basebackup", withCreate, timeout, Map.of());
        if (!r.ok() && r.output().contains("already exists")) {
            // The leader made our slot already; an empty data directory is all a retry needs.
            clearDirectory(config.dataDir());
            r = bin.run("pg_basebackup", base, timeout, Map.of());
        }
        return r;
    }

    /** pg_rewind from the leader; PostgreSQL 13+ runs crash recovery first when the target stopped uncleanly. */
    public CommandResult rewindFrom(Upstream from) {
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
        var user = auth.rewind().orElse(auth.superuser());
        String source = from.conninfo(user.username(), conf.passfile().toString(), "pgha_rewind", "postgres");
        // pg_rewind cut off half-way (the source restarting, a network cut) leaves a data directory
        // that must never be started as it is; the mark outlives a daemon restart, and stays only
        // when the attempt got that far (or found the target's own WAL unreadable).
        try {
            Files.writeString(rewindMark(), from.member() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rewindMark(), e);
        }
        CommandResult r = bin.run("pg_rewind", List.of("-D", config.dataDir().toString(), "--source-server=" + source, "--no-sync", "-P"),
                Duration.ofHours(1), Map.of());
        if (r.ok() || !leftTargetUnusable(r.output())) {
            deleteRewindMark();
        }
        return r;
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

    /**
     * Makes the next promotion of a server on a timeline below {@code from} pick timeline {@code next} or later. PostgreSQL names the new
     * timeline one above the newest history file it can find, and a replica that never received a
     * timeline another member was promoted onto cannot see it: promoted, it would reuse the number
     * for a different history, and pg_rewind would then call the two "the same timeline" (the
     * chaos suite saw an old primary rejoin without a rewind that way). An empty history file per
     * missing number closes the gap; PostgreSQL only checks that it exists, and never reads it
     * because no timeline of this server descends from it.
     */
    public List<Long> skipTimelines(long from, long next) {
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

    /** A pg_rewind failed on this data directory in a way that leaves it unusable (see {@link #leftTargetUnusable}). */
    public boolean rewindUnfinished() {
        return Files.exists(rewindMark());
    }

    /** Next to the data directory, not in it: pg_rewind deletes what the source does not have. */
    private Path rewindMark() {
        return config.dataDir().resolveSibling(config.dataDir().getFileName() + ".rewinding");
    }

    private void deleteRewindMark() {
        try {
            Files.deleteIfExists(rewindMark());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + rewindMark(), e);
        }
    }

    /** Creates the slots in {@code wanted}; drops other inactive physical slots unless {@code keep} says so. */
    public List<String> syncSlots(Set<String> wanted, java.util.function.Predicate<String> keep) throws SQLException {
        List<String> changes = new ArrayList<>();
        Map<String, Boolean> existing = probe.physicalSlots();
        for (String slot : wanted) {
            if (!existing.containsKey(slot)) {
                probe.createSlot(slot);
                changes.add("created slot " + slot);
            }
        }
        for (Map.Entry<String, Boolean> e : existing.entrySet()) {
            if (!wanted.contains(e.getKey()) && !e.getValue() && !keep.test(e.getKey())) {
                probe.dropSlot(e.getKey());
                changes.add("dropped slot " + e.getKey());
            }
        }
        return changes;
    }

    /**
     * Moves a data directory aside instead of deleting it: nothing is ever lost silently, even a
     * directory pgha judged unusable. Returns where it went.
     */
    public Path moveAside(String why) {
        Path target = config.dataDir().resolveSibling(config.dataDir().getFileName() + "." + why + "." + Instant.now().getEpochSecond());
        try {
            Files.move(config.dataDir(), target);
            deleteRewindMark(); // it spoke of the directory that went aside
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + config.dataDir() + " aside to " + target, e);
        }
    }

    /** Deletes a data directory this daemon moved aside, once it is certainly not needed. */
    public static void removeDirectory(Path dir) {
        clearDirectory(dir);
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** Removes what a failed clone left in a directory that was empty before it. */
    public static void clearDirectory(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
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

    @Override
    public void close() {
        exitWatch.close();
        probe.close();
    }
}
