package io.pgha.postgres;

import io.pgha.config.PostgresqlConfig;
import io.pgha.dcs.MonotonicClock;
import io.pgha.ha.PgState;
import io.pgha.node.PgSnapshot;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * This node's PostgreSQL: observes it and carries out what the HA loop decided. Only the HA loop
 * thread calls it, except {@link #fence()}, which the fencing timer may call at any moment.
 */
public final class Postgres implements AutoCloseable {
    private final PgProbe probe;
    private final ExitWatch exitWatch = new ExitWatch();
    private final DataDirectory dataDirectory;
    private final Observer observer;
    private final Postmaster postmaster;
    private final Promotion promotion;
    private final Rewind rewind;
    private final ReplicationSlots slots;
    private final SyncModeSettings syncMode;

    public Postgres(PostgresqlConfig config, String scope, String member, PgOsUser user, Duration queryTimeout, MonotonicClock clock) {
        PgBinaries bin = new PgBinaries(config.binDir(), user);
        PgConf conf = new PgConf(config, scope, user);
        String host = config.listen().host();
        this.probe = new PgProbe(host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host,
                config.listen().port(), config.authentication().superuser(), config.authentication().superuserSsl(), queryTimeout);
        RewindMark rewindMark = new RewindMark(config.dataDir());
        this.dataDirectory = new DataDirectory(config, member, bin, conf, rewindMark);
        this.observer = new Observer(dataDirectory, probe, exitWatch, clock);
        this.postmaster = new Postmaster(config, member, bin, conf, probe, exitWatch);
        this.promotion = new Promotion(config, bin, probe);
        this.rewind = new Rewind(config, bin, conf, rewindMark);
        this.slots = new ReplicationSlots(probe);
        this.syncMode = new SyncModeSettings(probe);
    }

    public record Observed(PgState state, PgSnapshot snapshot) {
    }

    public enum StopMode {
        FAST, IMMEDIATE;

        String arg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Path dataDir() {
        return dataDirectory.path();
    }

    /** Called (on some other thread) the moment the postmaster we watch exits. */
    public void onExit(Runnable callback) {
        exitWatch.onExit(callback);
    }

    public boolean hasDataDirectory() {
        return dataDirectory.exists();
    }

    public Observed observe() {
        return observer.observe();
    }

    public ControlData controlData() {
        return dataDirectory.controlData();
    }

    public Optional<Long> postmasterPid() {
        return postmaster.pid();
    }

    /** The running postmaster of {@code dataDir}, by its postmaster.pid; also what tests and the demo kill. */
    public static Optional<Long> postmasterPid(Path dataDir) {
        return PostmasterLock.runningPid(dataDir);
    }

    // ---- effects -------------------------------------------------------------------------------

    public void initdb() {
        dataDirectory.initdb();
    }

    public CommandResult start(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) {
        return postmaster.start(standby, upstream, dynamicParameters);
    }

    public Path logFile() {
        return postmaster.logFile();
    }

    public CommandResult stop(StopMode mode) {
        return postmaster.stop(mode);
    }

    public String fence() {
        return postmaster.fence();
    }

    public CommandResult promote() {
        return promotion.promote();
    }

    /** Re-points a running standby: PostgreSQL 13+ picks up primary_conninfo on reload. */
    public void follow(Optional<Upstream> upstream, Map<String, String> dynamicParameters) throws SQLException {
        reload(true, upstream, dynamicParameters);
    }

    public void reload(boolean standby, Optional<Upstream> upstream, Map<String, String> dynamicParameters) throws SQLException {
        postmaster.reload(standby, upstream, dynamicParameters);
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
