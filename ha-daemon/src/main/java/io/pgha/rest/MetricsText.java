package io.pgha.rest;

import io.pgha.backup.BackupRun;
import io.pgha.node.Archiver;
import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4), with Patroni's metric names and
 * {@code scope}/{@code name} labels so existing dashboards and alerts keep working.
 *
 * <p>Rendered by hand from one {@link NodeStatus} per scrape rather than through Micrometer: the
 * values are a snapshot, not counters we accumulate, and Micrometer's Prometheus naming would
 * print LSNs as floats in exponent notation and wants a registered gauge per label value (one per
 * decision verb). Here the names are exactly Patroni's and every number prints as an integer.
 */
final class MetricsText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);
    private final String labels;

    private MetricsText(NodeStatus s) {
        this.labels = "scope=\"" + escape(s.scope()) + "\",name=\"" + escape(s.name()) + "\"";
    }

    static String render(NodeStatus s, long nowNanos) {
        PgSnapshot pg = s.pg();
        boolean replica = pg.runsAsReplica();
        MetricsText m = new MetricsText(s);
        m.gauge("patroni_version", "Version of the HA daemon (Patroni's format: each part as two digits).",
                version(s.version()));
        m.gauge("patroni_postgres_running", "Value is 1 if PostgreSQL is running, 0 otherwise.", flag(pg.running()));
        m.gauge("patroni_postmaster_start_time", "Epoch seconds since PostgreSQL started.", epoch(pg.postmasterStartTime()));
        m.gauge("patroni_primary", "Value is 1 if this node is the writable primary (unexpired lease and PostgreSQL read-write), 0 otherwise.",
                flag(s.isWritablePrimaryAt(nowNanos)));
        m.gauge("patroni_master", "Legacy name of patroni_primary.", flag(s.isWritablePrimaryAt(nowNanos)));
        m.gauge("patroni_xlog_location", "Current WAL location of the primary.", pg.runsAsPrimary() ? Long.toString(pg.writeLsn()) : "0");
        m.gauge("patroni_standby_leader", "Value is 1 if this node is a standby leader, 0 otherwise.", flag(StatusJson.isStandbyLeader(s)));
        m.gauge("patroni_replica", "Value is 1 if PostgreSQL runs as a replica, 0 otherwise.", flag(replica));
        m.gauge("patroni_sync_standby", "Value is 1 if this node is a synchronous standby, 0 otherwise.",
                flag(replica && HealthRules.isSyncStandby(s) && !HealthRules.isQuorumKey(s)));
        m.gauge("patroni_quorum_standby", "Value is 1 if this node is a quorum standby (synchronous_mode quorum), 0 otherwise.",
                flag(replica && HealthRules.isSyncStandby(s) && HealthRules.isQuorumKey(s)));
        m.gauge("patroni_xlog_received_location", "Last WAL location received by this replica.", replica ? Long.toString(pg.receiveLsn()) : "0");
        m.gauge("patroni_xlog_replayed_location", "Last WAL location replayed by this replica.", replica ? Long.toString(pg.replayLsn()) : "0");
        m.gauge("patroni_xlog_replayed_timestamp", "Commit time of the last replayed transaction, epoch seconds.",
                replica ? epoch(pg.replayedTimestamp()) : "0");
        m.gauge("patroni_xlog_paused", "Value is 1 if WAL replay is paused, 0 otherwise.", flag(replica && pg.replayPaused()));
        m.gauge("patroni_postgres_streaming", "Value is 1 if the replica streams from its upstream, 0 otherwise.",
                flag(replica && "streaming".equals(pg.replicationState())));
        m.gauge("patroni_postgres_in_archive_recovery", "Value is 1 if the replica restores WAL from the archive, 0 otherwise.",
                flag(replica && "in archive recovery".equals(pg.replicationState())));
        m.gauge("patroni_postgres_server_version", "PostgreSQL version (server_version_num).", Integer.toString(pg.serverVersion()));
        m.gauge("patroni_cluster_unlocked", "Value is 1 if the cluster has no leader (or the DCS cannot be read), 0 otherwise.",
                flag(StatusJson.clusterUnlocked(s)));
        m.gauge("patroni_failsafe_mode_is_active", "Value is 1 if this primary runs on its members' failsafe acknowledgements "
                + "while the DCS is unreachable, 0 otherwise.", flag(s.failsafe().activeAt(nowNanos)));
        m.gauge("patroni_failsafe_mode_enabled", "Value is 1 if failsafe_mode is on in the DCS config, 0 otherwise.",
                flag(s.failsafe().enabled()));
        m.gauge("patroni_postgres_timeline", "PostgreSQL timeline.", pg.running() ? Long.toString(pg.timeline()) : "0");
        m.gauge("patroni_dcs_last_seen", "Epoch seconds of the last successful DCS round trip.", Long.toString(s.dcsLastSeenEpochSeconds()));
        m.gauge("patroni_pending_restart", "Value is 1 if PostgreSQL needs a restart to apply settings, 0 otherwise.", flag(pg.pendingRestart()));
        m.gauge("patroni_is_paused", "Value is 1 if the cluster is in maintenance mode, 0 otherwise.", flag(s.paused()));
        m.gauge("patroni_failover_priority", "Failover priority of this node (0: never promoted).", Long.toString(failoverPriority(s.tags())));
        m.gauge("pgha_lease_seconds_left", "Seconds left on this node's leader lease by its own clock (0 when not leading).",
                Long.toString(s.leaseSecondsLeft(nowNanos)));
        m.gauge("pgha_lease_ttl_seconds", "The TTL the DCS granted this node's lease (a changed config ttl shows here once the lease moved).",
                Long.toString(s.ttl().toSeconds()));
        m.header("pgha_last_decision_info", "The last HA decision of this node, as a label.");
        m.out.append("pgha_last_decision_info{").append(m.labels).append(",action=\"").append(escape(s.lastAction())).append("\"} 1\n");
        m.gauge("pgha_dcs_round_trip_seconds", "Duration of the last DCS read.", seconds(s.dcsRoundTripNanos()));
        m.gauge("pgha_synchronous_standbys_confirmed", "Standbys PostgreSQL reports synchronous on this primary right now.",
                Long.toString(s.pg().runsAsPrimary() ? s.pg().replication().stream().filter(r -> "sync".equals(r.syncState()) || "quorum".equals(r.syncState())).count() : 0));
        m.gauge("pgha_watchdog_active", "Value is 1 if the watchdog device is open and counting down, 0 otherwise.",
                flag(s.watchdog().active()));
        m.gauge("pgha_watchdog_timeout_seconds", "Timeout the watchdog device granted (0 when not active).",
                Long.toString(s.watchdog().timeoutSeconds()));
        m.gauge("pgha_watchdog_failed", "Value is 1 if the watchdog is required but unusable (this node may not lead), 0 otherwise.",
                flag(s.watchdog().failed()));
        Archiver a = pg.archiver();
        m.gauge("pgha_archive_enabled", "Value is 1 if this server archives WAL (a primary with archive_mode on, or always), 0 otherwise.",
                flag(a.enabled()));
        m.gauge("pgha_archive_archived_count", "WAL files archived since the statistics were reset (pg_stat_archiver).",
                Long.toString(a.archivedCount()));
        m.gauge("pgha_archive_failed_count", "Failed archive_command runs (pgBackRest archive-push) since the statistics were reset.",
                Long.toString(a.failedCount()));
        m.gauge("pgha_archive_last_archived_timestamp", "Epoch seconds of the last WAL file archived (0: none).", epoch(a.lastArchived()));
        m.gauge("pgha_archive_ready_segments", "WAL segments completed but not yet archived (.ready in pg_wal/archive_status).",
                Long.toString(a.enabled() ? a.readySegments() : 0));
        m.gauge("pgha_archive_lag_bytes", "Bytes of completed WAL not yet archived: what a restore from the repository would miss now.",
                Long.toString(a.lagBytes()));
        m.gauge("pgha_archive_stuck", "Value is 1 if the last archive attempt failed (WAL piles up in pg_wal), 0 otherwise.", flag(a.stuck()));
        Optional<Instant> lastBackup = s.cluster().flatMap(c -> c.backup()).flatMap(v -> BackupRun.parse(v.value()))
                .filter(r -> r.state() == BackupRun.State.DONE).map(BackupRun::updated);
        m.gauge("pgha_backup_last_success_timestamp", "Epoch seconds when the last scheduled backup of the cluster finished (0: none yet).",
                epoch(lastBackup));
        m.gauge("pgha_backup_last_success_age_seconds", "Seconds since the last scheduled backup of the cluster finished (0: none yet).",
                lastBackup.map(t -> Long.toString(Math.max(0, Duration.between(t, Instant.now()).toSeconds()))).orElse("0"));
        return m.out.toString();
    }

    private void gauge(String name, String help, String value) {
        header(name, help);
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private void header(String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    /** Patroni's convention: {@code 4.1.4} → {@code 040104}; a suffix such as {@code -SNAPSHOT} is ignored. */
    static String version(String version) {
        StringBuilder b = new StringBuilder();
        String[] parts = version.split("\\.");
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            String digits = parts[i].replaceFirst("^(\\d*).*$", "$1");
            if (digits.isEmpty()) {
                break;
            }
            b.append(digits.length() < 2 ? "0" + digits : digits);
        }
        return b.length() == 0 ? "0" : b.toString();
    }

    /** Patroni's rule: {@code nofailover} means 0, otherwise the {@code failover_priority} tag, default 1. */
    static long failoverPriority(Map<String, Object> tags) {
        if (HealthRules.isTrue(tags.get("nofailover"))) {
            return 0;
        }
        Object p = tags.get("failover_priority");
        if (p instanceof Number n) {
            return n.longValue();
        }
        if (p instanceof String str && str.trim().matches("-?\\d{1,18}")) {
            return Long.parseLong(str.trim());
        }
        return 1;
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    private static String epoch(Optional<Instant> t) {
        return t.map(i -> String.format(Locale.ROOT, "%d.%06d", i.getEpochSecond(), i.getNano() / 1000)).orElse("0");
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }

    /** Label values escape backslash, double quote and newline, as the text format requires. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
