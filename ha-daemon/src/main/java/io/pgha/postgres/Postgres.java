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
import java.util.function.Predicate;

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
    private final DataDirectory dataDirectory;
    private final Rewind rewind;
    private final Promotion promotion;
    private final ReplicationSlots slots;
    private final SyncModeSettings syncMode;
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
        RewindMark rewindMark = new RewindMark(config.dataDir());
        this.dataDirectory = new DataDirectory(config, member, bin, conf, rewindMark);
        this.rewind = new Rewind(config, bin, conf, rewindMark);
        this.promotion = new Promotion(config, bin, probe);
        this.slots = new ReplicationSlots(probe);
        this.syncMode = new SyncModeSettings(probe);
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Called (on some other thread) the moment the postmaster we watch exits. */
    public void onExit(Runnable callback) {
        exitWatch.onExit(callback);
    }

    public boolean hasDataDirectory() {
        return dataDirectory.exists();
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
                return new Observed(new PgState.Starting(cd.systemId(), !dataDirectory.hasStandbySignal() && cd.stoppedAsPrimary(), since("starting", now)),
                        PgSnapshot.notRunning("starting", dataDirectory.hasStandbySignal() ? "replica" : "primary"));
            }
        }
        ControlData cd = controlData();
        boolean wasPrimary = !dataDirectory.hasStandbySignal() && cd.stoppedAsPrimary();
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
        return dataDirectory.controlData();
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

    public void initdb() {
        dataDirectory.initdb();
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

    public CommandResult promote() {
        return promotion.promote();
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
        return syncMode.synchronousStandbyNames();
    }

    public void setSynchronousStandbyNames(String value) throws SQLException {
        syncMode.setSynchronousStandbyNames(value);
    }

    public boolean defaultReadOnly() throws SQLException {
        return syncMode.defaultReadOnly();
    }

    public void setDefaultReadOnly(boolean on) throws SQLException {
        syncMode.setDefaultReadOnly(on);
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

    public CommandResult cloneFrom(Upstream from) {
        return dataDirectory.cloneFrom(from);
    }

    public CommandResult rewindFrom(Upstream from) {
        return rewind.from(from);
    }

    public List<Long> skipTimelines(long from, long next) {
        return promotion.skipTimelines(from, next);
    }

    public boolean rewindUnfinished() {
        return rewind.unfinished();
    }

    public List<String> syncSlots(Set<String> wanted, Predicate<String> keep) throws SQLException {
        return slots.sync(wanted, keep);
    }

    public Path moveAside(String why) {
        return dataDirectory.moveAside(why);
    }

    public static void removeDirectory(Path dir) {
        DataDirectory.remove(dir);
    }

    public static void clearDirectory(Path dir) {
        DataDirectory.clear(dir);
    }

    @Override
    public void close() {
        exitWatch.close();
        probe.close();
    }
}
