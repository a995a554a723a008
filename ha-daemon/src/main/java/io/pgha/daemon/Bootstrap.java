package io.pgha.daemon;

import io.pgha.backup.Backrest;
import io.pgha.config.CallbackEvent;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.Roles;
import io.pgha.postgres.Upstream;

import java.sql.SQLException;
import java.util.Optional;

/** The race to initialize a new cluster: claim the initialize key, initdb, start, create the roles, take the key. */
final class Bootstrap {
    private final PghaConfig config;
    private final Dcs dcs;
    private final MemberSession session;
    private final Postgres pg;
    private final Callbacks callbacks;
    private final ActionSettings settings;
    private final Optional<Backrest> backrest;

    Bootstrap(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Callbacks callbacks, ActionSettings settings,
              Optional<Backrest> backrest) {
        this.backrest = backrest;
        this.config = config;
        this.dcs = dcs;
        this.session = session;
        this.pg = pg;
        this.callbacks = callbacks;
        this.settings = settings;
    }

    /** The outcome, and whether this member took the leader key with it. */
    record Result(String said, boolean tookLeader) {
    }

    Result run() throws SQLException {
        CasResult claim = dcs.write(ClusterKey.INITIALIZE, "", Expect.absent());
        if (!(claim instanceof CasResult.Written)) {
            return new Result("another member is bootstrapping", false);
        }
        try {
            boolean standby = settings.dynamic().isStandbyCluster();
            if (standby) {
                // A standby cluster starts as a copy of the remote primary: its roles, its system identifier.
                Optional<Upstream> remote = settings.remotePrimary();
                if (remote.isPresent()) {
                    pg.cloneFrom(remote.get()).orThrow();
                } else {
                    restoreFromArchive();
                }
                pg.start(true, remote, settings.parameters()).orThrow();
            } else {
                pg.initdb();
                CommandResult start = pg.start(false, Optional.empty(), settings.parameters());
                start.orThrow();
                new Roles(config.postgresql().authentication()).create(pg);
            }
            long sysid = pg.controlData().systemId();
            Cluster now = dcs.read(Consistency.LINEARIZABLE);
            dcs.write(ClusterKey.INITIALIZE, Long.toUnsignedString(sysid),
                    now.initialize().map(v -> Expect.version(v.version())).orElse(Expect.absent()));
            dcs.write(ClusterKey.CONFIG, config.bootstrapDcs().toJson(), Expect.absent());
            session.takeLeader();
            if (standby) {
                callbacks.fire(CallbackEvent.ON_START, "standby_leader");
                return new Result((settings.remotePrimary().isPresent() ? "cloned system " + Long.toUnsignedString(sysid) + " from the remote primary "
                        + settings.remotePrimary().get().where() : "restored system " + Long.toUnsignedString(sysid) + " from the backup repository,"
                        + " replaying the archive with restore_command,") + " and took the leader key as standby leader", true);
            }
            callbacks.fire(CallbackEvent.ON_START, "primary");
            return new Result("initialized system " + Long.toUnsignedString(sysid) + " and took the leader key", true);
        } catch (RuntimeException | SQLException e) {
            // Leave nothing half-made behind: free the race for the next try and keep what initdb made aside.
            try {
                pg.stop(Postgres.StopMode.IMMEDIATE);
            } catch (RuntimeException ignored) {
                // not running
            }
            if (pg.hasDataDirectory()) {
                pg.moveAside("bootstrap-failed");
            }
            dcs.delete(ClusterKey.INITIALIZE, Expect.anything());
            throw e;
        }
    }

    /**
     * A standby cluster without a host follows its source through the WAL archive alone, so its base
     * comes from the source's backups: pgha.yml's backup section names that repository and stanza.
     */
    private void restoreFromArchive() {
        if (backrest.isEmpty()) {
            throw new IllegalStateException("standby_cluster has no host to clone from, and pgha.yml has no backup section to restore"
                    + " a base backup from: add backup: {repo_path, stanza} of the source cluster, or standby_cluster.host");
        }
        Backrest.Result r = backrest.get().restoreStandby(line -> { });
        if (r.exit() != 0) {
            throw new IllegalStateException("pgbackrest restore of stanza " + backrest.get().conf().stanza() + " failed (exit " + r.exit() + "): "
                    + r.output().strip().lines().reduce((a, b) -> b).orElse(""));
        }
    }
}
