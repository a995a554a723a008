package io.pgha.daemon;

import io.pgha.backup.Backrest;
import io.pgha.backup.BackupException;
import io.pgha.backup.BackupRun;
import io.pgha.backup.BackupSchedule;
import io.pgha.backup.BackupSet;
import io.pgha.config.BackupConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.Versioned;
import io.pgha.node.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The backup schedule, run by the leader only: every half minute the leader looks at the schedule
 * and the {@code pgha-backup} key, claims a due slot with a compare-and-swap (so no two members
 * claim one) and runs it; a slot claimed by a member that died or lost the lead before finishing
 * is run by the next leader. Backups run on this thread, never on the HA loop's.
 */
final class ScheduledBackups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
    private static final Duration TICK = Duration.ofSeconds(30);

    private final String member;
    private final Dcs dcs;
    private final Backrest backrest;
    private final BackupSchedule schedule;
    private final Supplier<NodeStatus> status;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-backup");
        t.setDaemon(true);
        return t;
    });

    private ScheduledBackups(String member, Dcs dcs, Backrest backrest, BackupSchedule schedule, Supplier<NodeStatus> status, Clock clock) {
        this.member = member;
        this.dcs = dcs;
        this.backrest = backrest;
        this.schedule = schedule;
        this.status = status;
        this.clock = clock;
    }

    /** Started only when pgha.yml schedules backups; empty otherwise. */
    static Optional<ScheduledBackups> start(String member, BackupConfig config, Dcs dcs, Backrest backrest, Supplier<NodeStatus> status) {
        if (!config.scheduled()) {
            return Optional.empty();
        }
        ScheduledBackups s = new ScheduledBackups(member, dcs, backrest, new BackupSchedule(config.full(), config.diff(), ZoneId.systemDefault()),
                status, Clock.systemUTC());
        s.thread.scheduleWithFixedDelay(s::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("backup schedule: full {}, diff {} (local time), run by whichever member leads", config.full().map(Object::toString).orElse("off"),
                config.diff().map(Object::toString).orElse("off"));
        return Optional.of(s);
    }

    void tick() {
        try {
            NodeStatus s = status.get();
            if (s == null || !s.holdsLeaderKey() || !s.pg().runsAsPrimary() || s.paused() || s.cluster().isEmpty()) {
                return;
            }
            Cluster c = s.cluster().get();
            Optional<Versioned<String>> key = c.backup();
            Instant now = clock.instant();
            Optional<BackupSchedule.Due> due = schedule.due(now, key.flatMap(v -> BackupRun.parse(v.value())));
            if (due.isEmpty()) {
                return;
            }
            BackupRun claim = new BackupRun(due.get().slot(), due.get().type(), member, BackupRun.State.RUNNING, now, "");
            CasResult claimed = dcs.write(ClusterKey.BACKUP, claim.toJson(), key.map(v -> Expect.version(v.version())).orElse(Expect.absent()));
            if (!(claimed instanceof CasResult.Written w)) {
                return; // the key changed since this member's last cycle read it: look again next time
            }
            LOG.info("scheduled {} backup claimed: {}", claim.type().key(), due.get().why());
            BackupRun end;
            try {
                backrest.ensureStanza(line -> LOG.debug("pgbackrest: {}", line));
                BackupSet set = backrest.backup(claim.type(), line -> LOG.debug("pgbackrest: {}", line));
                end = new BackupRun(claim.slot(), claim.type(), member, BackupRun.State.DONE, clock.instant(), set.label());
                LOG.info("scheduled {} backup done: {} ({} to {})", claim.type().key(), set.label(), set.lsnStart(), set.lsnStop());
            } catch (BackupException | java.io.UncheckedIOException e) {
                end = new BackupRun(claim.slot(), claim.type(), member, BackupRun.State.FAILED, clock.instant(), e.getMessage());
                LOG.warn("scheduled {} backup failed: {}; trying again in {} min", claim.type().key(), e.getMessage(),
                        BackupSchedule.RETRY.toMinutes());
            }
            dcs.write(ClusterKey.BACKUP, end.toJson(), Expect.version(w.version()));
        } catch (DcsException e) {
            LOG.warn("backup schedule: DCS failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("backup schedule: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
