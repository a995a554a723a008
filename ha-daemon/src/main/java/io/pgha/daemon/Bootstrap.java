package io.pgha.daemon;

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

    Bootstrap(PghaConfig config, Dcs dcs, MemberSession session, Postgres pg, Callbacks callbacks, ActionSettings settings) {
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
                if (remote.isEmpty()) {
                    throw new IllegalStateException("standby_cluster has no host to clone from (bootstrapping from restore_command"
                            + " alone is not supported yet)");
                }
                pg.cloneFrom(remote.get()).orThrow();
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
                return new Result("cloned system " + Long.toUnsignedString(sysid) + " from the remote primary "
                        + settings.remotePrimary().map(u -> u.where()).orElse("") + " and took the leader key as standby leader", true);
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
}
