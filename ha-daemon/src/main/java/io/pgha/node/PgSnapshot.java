package io.pgha.node;

import io.pgha.ha.ReplicationPeer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL on this node as last observed: what the REST API, the member key and the metrics
 * report. {@code state} and {@code role} use Patroni's words ("running", "stopped", "crashed",
 * "creating replica", ...; "primary", "replica", "uninitialized", "demoted") so existing tooling
 * reads them unchanged.
 *
 * @param running        a postmaster accepts connections right now
 * @param inRecovery     it runs as a standby (meaningful only while running)
 * @param systemId       pg_control's system identifier, empty before initdb
 * @param writeLsn       a primary's flush LSN (0 on a replica)
 * @param receiveLsn     a replica's last received LSN (0 on a primary or when nothing streamed)
 * @param replayLsn      a replica's last replayed LSN
 * @param replicationState "streaming", "in archive recovery", or "" on a primary / stopped node
 * @param serverVersion  server_version_num, 0 when unknown
 * @param archiver       the WAL archiver's state, {@link Archiver#OFF} when not running or not archiving
 */
public record PgSnapshot(
        String state,
        String role,
        boolean running,
        boolean inRecovery,
        Optional<String> systemId,
        long timeline,
        long writeLsn,
        long receiveLsn,
        long replayLsn,
        Optional<Instant> replayedTimestamp,
        boolean replayPaused,
        String replicationState,
        int serverVersion,
        Optional<Instant> postmasterStartTime,
        List<ReplicationPeer> replication,
        boolean pendingRestart,
        Map<String, PendingChange> pendingRestartReason,
        Archiver archiver) {

    public PgSnapshot {
        replication = List.copyOf(replication);
        pendingRestartReason = Map.copyOf(pendingRestartReason);
        java.util.Objects.requireNonNull(archiver, "archiver");
    }

    public static PgSnapshot notRunning(String state, String role) {
        return new PgSnapshot(state, role, false, false, Optional.empty(), 0, 0, 0, 0, Optional.empty(), false, "", 0,
                Optional.empty(), List.of(), false, Map.of(), Archiver.OFF);
    }

    public PgSnapshot withTimeline(long tl) {
        return new PgSnapshot(state, role, running, inRecovery, systemId, tl, writeLsn, receiveLsn, replayLsn, replayedTimestamp,
                replayPaused, replicationState, serverVersion, postmasterStartTime, replication, pendingRestart, pendingRestartReason,
                archiver);
    }

    public boolean runsAsPrimary() {
        return running && !inRecovery;
    }

    public boolean runsAsReplica() {
        return running && inRecovery;
    }

    /** What a failover candidate has: the flush LSN on a primary, max(receive, replay) on a replica. */
    public long walPosition() {
        return inRecovery ? Math.max(receiveLsn, replayLsn) : writeLsn;
    }

    /** A copy with another state and role and {@code running = false}: how a sudden exit is published. */
    public PgSnapshot stopped(String newState) {
        return new PgSnapshot(newState, role, false, inRecovery, systemId, timeline, writeLsn, receiveLsn, replayLsn,
                replayedTimestamp, replayPaused, "", serverVersion, Optional.empty(), List.of(), false, Map.of(), Archiver.OFF);
    }

    public record PendingChange(String oldValue, String newValue) {
    }
}
