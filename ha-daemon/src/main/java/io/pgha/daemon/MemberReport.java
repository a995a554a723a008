package io.pgha.daemon;

import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.MemberData;
import io.pgha.node.PgSnapshot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Renders what this node publishes under {@code members/<name>}, in Patroni's shape. */
final class MemberReport {
    private final String connUrl;
    private final String apiUrl;
    private final String version;
    private final Map<String, Object> tags;

    /** This node's {@code api_url}, as peers, the member key and the failsafe key name it. */
    static String apiUrl(PghaConfig config) {
        return "http://" + config.restapi().connectAddress() + "/patroni";
    }

    static String connUrl(PghaConfig config) {
        return "postgres://" + config.postgresql().connectAddress() + "/postgres";
    }

    String connUrl() {
        return connUrl;
    }

    String apiUrl() {
        return apiUrl;
    }

    /** Member-key field: ISO time of the last transaction this replica replayed; {@code pgha list} derives the replay delay. */
    static final String REPLAYED_AT = "pgha_replayed_at";

    MemberReport(String connUrl, String apiUrl, String version, Map<String, Object> tags) {
        this.connUrl = connUrl;
        this.apiUrl = apiUrl;
        this.version = version;
        this.tags = tags;
    }

    /**
     * @param leaseTtl      the TTL the DCS granted this member's lease, published as pgha's own {@code lease_ttl}
     *                      (seconds): what {@code pgha list} shows, since a changed config ttl reaches a lease only when
     *                      the member moves to a new one
     * @param standbyLeader this member leads a standby cluster: published with Patroni's role {@code standby_leader}
     */
    MemberData of(PgSnapshot pg, boolean paused, String memberState, Duration leaseTtl, boolean standbyLeader) {
        boolean replica = pg.running() ? pg.inRecovery() : !"primary".equals(pg.role());
        Map<String, Object> extra = new LinkedHashMap<>();
        if (!memberState.isEmpty()) {
            extra.put("pgha_state", memberState);
        }
        extra.put("lease_ttl", leaseTtl.toSeconds());
        if (pg.archiver().stuck()) {
            // pgha list names the member: a stuck archive fills pg_wal and breaks the restore chain.
            extra.put("pgha_archive_stuck_since", pg.archiver().lastFailed().orElseThrow().toString());
        }
        if (pg.running() && replica) {
            // The commit time of the last replayed transaction rather than a delay: it changes only
            // when replay moves (as replay_lsn does), so publishing it costs no extra DCS write.
            pg.replayedTimestamp().ifPresent(t -> extra.put(REPLAYED_AT, t.toString()));
        }
        String role = standbyLeader && pg.running() && pg.inRecovery() ? "standby_leader" : pg.role();
        return new MemberData(connUrl, apiUrl, pg.state(), role, version,
                pg.running() ? Optional.of(pg.walPosition()) : Optional.empty(),
                pg.timeline() > 0 ? Optional.of(pg.timeline()) : Optional.empty(),
                pg.running() && replica && !pg.replicationState().isEmpty() ? Optional.of(pg.replicationState()) : Optional.empty(),
                pg.running() && replica ? Optional.of(pg.receiveLsn()) : Optional.empty(),
                pg.running() && replica ? Optional.of(pg.replayLsn()) : Optional.empty(),
                tags, pg.pendingRestart(), paused, extra);
    }
}
