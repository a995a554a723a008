package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.Cluster;
import io.pgha.ha.Observation;
import io.pgha.ha.OperatorRequest;
import io.pgha.ha.PgState;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.Postgres;

import java.sql.SQLException;
import java.util.Optional;

/** What an operator asked for through the REST API: restart, reload, reinitialize. */
final class OperatorActions {
    private final MemberSession session;
    private final Postgres pg;
    private final Callbacks callbacks;
    private final ActionSettings settings;
    private final ReplicaPath replica;
    private final Runnable disarmFence;

    OperatorActions(MemberSession session, Postgres pg, Callbacks callbacks, ActionSettings settings, ReplicaPath replica,
                    Runnable disarmFence) {
        this.session = session;
        this.pg = pg;
        this.callbacks = callbacks;
        this.settings = settings;
        this.replica = replica;
        this.disarmFence = disarmFence;
    }

    String carry(OperatorRequest request, Observation o, Cluster cluster) throws SQLException {
        if (request instanceof OperatorRequest.Restart) {
            return restart(o);
        }
        if (request instanceof OperatorRequest.Reload) {
            String done = reloadParameters(o.pg() instanceof PgState.Running r && r.isPrimary());
            return done.startsWith("not") ? "reload failed: " + done : "reloaded PostgreSQL's configuration";
        }
        return replica.reinitialize(cluster);
    }

    /** Rewrites postgresql.conf with the current parameters and reloads the running server. */
    String reloadParameters(boolean primary) {
        try {
            pg.reload(!primary, primary ? Optional.empty() : replica.following(), settings.parameters());
            return "written and reloaded";
        } catch (SQLException | RuntimeException e) {
            return "not reloaded: " + e.getMessage();
        }
    }

    private String restart(Observation o) {
        boolean primary = o.pg() instanceof PgState.Running r && r.isPrimary();
        if (primary) {
            disarmFence.run(); // stopped, it cannot write; the loop arms the fence again on the renewed lease
        }
        CommandResult stop = pg.stop(Postgres.StopMode.FAST);
        if (!stop.ok()) {
            return "restart failed: stop: " + stop.describe();
        }
        if (primary && session.renew() instanceof Renewal.Expired) {
            // The key went with the lease while PostgreSQL stopped: someone else may lead now.
            return "restart failed: PostgreSQL stopped, and not started again as primary: the lease expired in the DCS meanwhile";
        }
        CommandResult start = pg.start(!primary, primary ? Optional.empty() : replica.following(), settings.parameters());
        callbacks.fire(CallbackEvent.ON_RESTART, primary ? "primary" : "replica");
        return start.ok() ? "restarted successfully" : "restart failed: " + start.describe();
    }
}
