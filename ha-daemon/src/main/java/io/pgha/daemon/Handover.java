package io.pgha.daemon;

import io.pgha.config.CallbackEvent;
import io.pgha.config.PostgresqlAuthentication;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.ClusterStatus;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.dcs.model.Lsn;
import io.pgha.node.OperationLog;
import io.pgha.postgres.CommandResult;
import io.pgha.postgres.ControlData;
import io.pgha.postgres.PgProbe;
import io.pgha.postgres.Postgres;
import io.pgha.postgres.Upstream;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's side of a planned switchover, in the order that loses nothing and costs the least:
 * CHECKPOINT while still serving (so the shutdown checkpoint has little to write), stop {@code fast}
 * (PostgreSQL's walsenders ship everything up to the shutdown checkpoint before the postmaster exits),
 * confirm the candidate has received that checkpoint, publish it as the optime, and only then let
 * the leader key go; the candidate is watching and promotes at once. This node comes back as the
 * candidate's replica without pg_rewind: its history ends at a checkpoint the candidate has.
 */
final class Handover {
    static final String KIND = "switchover";

    private final Postgres pg;
    private final Dcs dcs;
    private final MemberSession session;
    private final PostgresqlAuthentication auth;
    private final Callbacks callbacks;
    private final OperationLog operations;
    private final Runnable announceStopped;

    Handover(Postgres pg, Dcs dcs, MemberSession session, PostgresqlAuthentication auth, Callbacks callbacks, OperationLog operations,
             Runnable announceStopped) {
        this.announceStopped = announceStopped;
        this.pg = pg;
        this.dcs = dcs;
        this.session = session;
        this.auth = auth;
        this.callbacks = callbacks;
        this.operations = operations;
    }

    /** What happened, for the cycle's log line; the outcome is also in the operation log. */
    String run(String me, FailoverRequest request, String candidate, Upstream candidateDb, Runnable disarmFence,
               Map<String, String> parameters, Duration receiveTimeout) {
        beginUnlessRunning(me, candidate);
        try {
            operations.phase(KIND, "checkpoint", "");
            pg.checkpoint();
        } catch (SQLException e) {
            return fail("CHECKPOINT failed, still primary: " + e.getMessage().lines().findFirst().orElse(""));
        }
        operations.phase(KIND, "stopping", "pg_ctl stop -m fast");
        CommandResult stop = pg.stop(Postgres.StopMode.FAST);
        if (!stop.ok()) {
            return fail("stop failed: " + stop.describe());
        }
        disarmFence.run();
        announceStopped.run();
        ControlData cd = pg.controlData();
        long shutdownCheckpoint = cd.checkpointLsn();
        operations.phase(KIND, "stopped", "shutdown checkpoint at " + Lsn.format(shutdownCheckpoint));

        Optional<Long> received = awaitReceived(candidateDb, shutdownCheckpoint, receiveTimeout);
        if (received.isEmpty()) {
            CommandResult back = pg.start(false, Optional.empty(), parameters);
            String outcome = candidate + " did not receive the shutdown checkpoint " + Lsn.format(shutdownCheckpoint) + " within "
                    + receiveTimeout.toMillis() + " ms; " + (back.ok() ? "restarted as primary" : "restart as primary failed: " + back.describe());
            return fail(outcome);
        }
        // The candidate compares its WAL position with this optime before it takes the key, and
        // it must be named in the request, or it would not know it was picked (and others would race).
        dcs.write(ClusterKey.STATUS, new ClusterStatus(shutdownCheckpoint, Map.of(), List.of()).toJson(), Expect.anything());
        nameCandidate(request, candidate);
        if (!session.releaseLeader()) {
            return fail("the leader key was no longer mine when handing it over");
        }
        operations.phase(KIND, "handed over", candidate + " has " + Lsn.format(received.get()));
        callbacks.fire(CallbackEvent.ON_ROLE_CHANGE, "replica");
        CommandResult start = pg.start(true, Optional.of(candidateDb), parameters);
        if (!start.ok()) {
            return "handed the leader key to " + candidate + "; starting as its replica failed: " + start.describe();
        }
        operations.phase(KIND, "following", "restarted as a replica of " + candidate);
        return "handed the leader key to " + candidate + " at " + Lsn.format(shutdownCheckpoint) + "; restarted as its replica";
    }

    /**
     * Asks the candidate's PostgreSQL itself how far it has received: its REST status is as old as
     * its last HA cycle, and a switchover should not wait a loop_wait for news already there.
     */
    private Optional<Long> awaitReceived(Upstream candidate, long checkpoint, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PgProbe probe = new PgProbe(candidate.host(), candidate.port(), auth.superuser(), auth.superuserSsl(), Duration.ofSeconds(2))) {
            do {
                try {
                    long received = probe.receivedLsn();
                    if (received > checkpoint) {
                        return Optional.of(received);
                    }
                } catch (SQLException e) {
                    // not reachable this instant; the deadline decides
                }
                try {
                    Thread.sleep(10); // a remote position cannot be awaited any other way
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            } while (System.nanoTime() < deadline);
        }
        return Optional.empty();
    }

    /**
     * A standby cluster's leader writes nothing of its own, so there is no shutdown checkpoint to
     * wait for: the key goes, PostgreSQL keeps replicating from the remote primary, and the next
     * cycle follows the candidate once it holds the key (it takes it when it has replayed as far as
     * this node last published).
     */
    String runStandby(String me, FailoverRequest request, String candidate) {
        beginUnlessRunning(me, candidate);
        nameCandidate(request, candidate);
        if (!session.releaseLeader()) {
            return fail("the standby leader key was no longer mine when handing it over");
        }
        operations.phase(KIND, "handed over", candidate + " may take the standby leader key; PostgreSQL kept replicating");
        return "handed the standby leader key to " + candidate + "; PostgreSQL keeps replicating and follows it once it leads";
    }

    /** A switchover requested straight through the DCS key, not our REST API, has no operation yet. */
    private void beginUnlessRunning(String me, String candidate) {
        if (operations.current().filter(op -> op.state() == OperationLog.State.RUNNING && op.kind().equals(KIND)).isEmpty()) {
            operations.begin(KIND, me, candidate);
        }
    }

    /** The candidate must be named in the request, or it would not know it was picked (and others would race). */
    private void nameCandidate(FailoverRequest request, String candidate) {
        if (request.candidate().isEmpty()) {
            dcs.write(ClusterKey.FAILOVER, new FailoverRequest(request.leader(), Optional.of(candidate), Optional.empty()).toJson(),
                    Expect.anything());
        }
    }

    /** A failed hand-over ends the request: retrying it every cycle would stop the primary every cycle. */
    private String fail(String why) {
        operations.finish(KIND, false, why);
        try {
            dcs.delete(ClusterKey.FAILOVER, Expect.anything());
        } catch (DcsException e) {
            why += "; the failover key could not be removed: " + e.getMessage();
        }
        return "switchover failed: " + why;
    }
}
