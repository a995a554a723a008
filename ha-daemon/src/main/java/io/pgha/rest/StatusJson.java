package io.pgha.rest;

import io.pgha.dcs.model.Cluster;
import io.pgha.ha.ReplicationPeer;
import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;
import io.pgha.node.WatchdogStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node status document of {@code GET /patroni} (and the body of health GETs), in Patroni's
 * shape so peers running Patroni, patronictl and monitoring read it unchanged. pgha's own fields
 * live under {@code "pgha"}, where Patroni's readers never look.
 */
final class StatusJson {
    /**
     * What an acknowledged commit on this primary is worth right now: the configured mode, the
     * members the sync key names (the only ones that may take over) and those PostgreSQL reports
     * synchronous at this moment.
     */
    static JsonObject durability(NodeStatus s) {
        String mode = s.cluster().flatMap(c -> c.configJson()).map(j -> String.valueOf(j.getValue("synchronous_mode", false))).orElse("false");
        boolean strict = s.cluster().flatMap(c -> c.configJson()).map(j -> Boolean.TRUE.equals(j.getValue("synchronous_mode_strict"))).orElse(false);
        JsonArray key = new JsonArray();
        s.cluster().map(c -> c.syncState()).filter(x -> x.leader().filter(s.name()::equals).isPresent())
                .ifPresent(x -> x.syncStandbys().forEach(key::add));
        boolean rejects = strict && s.cluster().flatMap(c -> c.configJson())
                .map(j -> "reject".equals(j.getValue("synchronous_mode_strict_writes"))).orElse(false);
        Optional<Long> quorum = s.cluster().map(c -> c.syncState()).filter(x -> x.leader().filter(s.name()::equals).isPresent())
                .flatMap(x -> x.quorum());
        JsonArray confirmed = new JsonArray();
        // FIRST: the standbys acknowledging now say "sync"; ANY: every standby that may acknowledge says "quorum".
        s.pg().replication().stream().filter(r -> "sync".equals(r.syncState()) || "quorum".equals(r.syncState()))
                .forEach(r -> confirmed.add(r.applicationName()));
        long inKey = confirmed.stream().filter(key.getList()::contains).count();
        // Synchronous only counts when the standbys are also in the sync key: only then may they, and only they, take over.
        boolean covered = inKey > 0 && inKey >= key.size() - quorum.orElse(0L);
        String state = "false".equals(mode) ? "asynchronous"
                : covered ? ("quorum".equals(mode) ? "quorum commit" : "synchronous")
                : !confirmed.isEmpty() && !key.isEmpty() ? "synchronous in PostgreSQL, not yet confirmed for the sync key"
                : rejects ? "writes rejected: no synchronous standby"
                : strict ? "commits wait for a synchronous standby" : "unprotected: no synchronous standby";
        JsonObject o = new JsonObject().put("synchronous_mode", mode).put("strict", strict).put("sync_key", key).put("confirmed", confirmed)
                .put("state", state);
        quorum.ifPresent(q -> o.put("quorum", q));
        if (rejects) {
            o.put("strict_writes", "reject");
        }
        return o;
    }

    /** Python's {@code str(datetime)} with a time zone, which is how Patroni prints timestamps. */
    private static final DateTimeFormatter PYTHON_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private StatusJson() {
    }

    static JsonObject render(NodeStatus s, long nowNanos) {
        PgSnapshot pg = s.pg();
        JsonObject o = new JsonObject();
        o.put("state", pg.state());
        pg.postmasterStartTime().ifPresent(t -> o.put("postmaster_start_time", timestamp(t)));
        o.put("role", isStandbyLeader(s) ? "standby_leader" : role(pg));
        if (pg.serverVersion() > 0) {
            o.put("server_version", pg.serverVersion());
        }
        if (pg.running()) {
            o.put("xlog", xlog(pg));
            if (pg.timeline() > 0) {
                o.put("timeline", pg.timeline());
            }
            if (pg.inRecovery() && !pg.replicationState().isEmpty()) {
                o.put("replication_state", pg.replicationState());
            }
            if (pg.inRecovery() && HealthRules.isSyncStandby(s)) {
                o.put(HealthRules.isQuorumKey(s) ? "quorum_standby" : "sync_standby", true);
            }
            if (!pg.replication().isEmpty()) {
                o.put("replication", replication(pg));
            }
        }
        if (s.paused()) {
            o.put("pause", true);
        }
        if (clusterUnlocked(s)) {
            o.put("cluster_unlocked", true);
        }
        if (s.failsafe().activeAt(nowNanos)) {
            // Patroni's flag (also what vip-manager's hold-while-failsafe policy reads): present only while true.
            o.put("failsafe_mode_is_active", true);
        }
        if (s.dcsLastSeenEpochSeconds() > 0) {
            o.put("dcs_last_seen", s.dcsLastSeenEpochSeconds());
        }
        if (!s.tags().isEmpty()) {
            o.put("tags", new JsonObject(new LinkedHashMap<>(s.tags())));
        }
        pg.systemId().ifPresent(id -> o.put("database_system_identifier", id));
        if (pg.pendingRestart()) {
            o.put("pending_restart", true);
            JsonObject reasons = new JsonObject();
            pg.pendingRestartReason().forEach((name, change) -> reasons.put(name,
                    new JsonObject().put("old_value", change.oldValue()).put("new_value", change.newValue())));
            o.put("pending_restart_reason", reasons);
        }
        if (s.watchdog().failed()) {
            // Patroni's flag: peers do not count this node as a promotable rival.
            o.put("watchdog_failed", true);
        }
        o.put("patroni", new JsonObject().put("version", s.version()).put("scope", s.scope()).put("name", s.name()));
        JsonObject pgha = new JsonObject()
                .put("lease_seconds_left", s.leaseSecondsLeft(nowNanos))
                .put("lease_ttl", s.ttl().toSeconds())
                .put("last_action", s.lastAction())
                .put("last_reason", s.lastReason())
                .put("member_state", s.memberState())
                .put("watchdog", watchdog(s.watchdog()));
        if (pg.runsAsPrimary()) {
            pgha.put("durability", durability(s));
        }
        o.put("pgha", pgha);
        return o;
    }

    private static JsonObject watchdog(WatchdogStatus w) {
        JsonObject o = new JsonObject().put("mode", w.mode()).put("active", w.active()).put("timeout", w.timeoutSeconds());
        if (!w.device().isEmpty()) {
            o.put("device", w.device());
        }
        if (!w.problem().isEmpty()) {
            o.put("problem", w.problem());
        }
        return o;
    }

    /**
     * While PostgreSQL runs, the role is what recovery says right now, not what the last cycle
     * believed: a promotion in progress must not be reported as a replica (or the reverse).
     */
    static String role(PgSnapshot pg) {
        if (pg.running()) {
            return pg.inRecovery() ? "replica" : "primary";
        }
        return pg.role();
    }

    /** The leader of a standby cluster: holds the key and replicates from the remote primary. */
    static boolean isStandbyLeader(NodeStatus s) {
        return s.holdsLeaderKey() && s.pg().runsAsReplica() && isStandbyCluster(s);
    }

    static boolean isStandbyCluster(NodeStatus s) {
        return s.cluster().flatMap(Cluster::standbyCluster).isPresent();
    }

    /** Patroni reports "unlocked" also when it has no cluster view at all (DCS unreachable). */
    static boolean clusterUnlocked(NodeStatus s) {
        return s.cluster().map(c -> !c.hasLeader()).orElse(true);
    }

    private static JsonObject xlog(PgSnapshot pg) {
        if (!pg.inRecovery()) {
            return new JsonObject().put("location", pg.writeLsn());
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("received_location", pg.receiveLsn());
        x.put("replayed_location", pg.replayLsn());
        x.put("replayed_timestamp", pg.replayedTimestamp().map(StatusJson::timestamp).orElse(null));
        x.put("paused", pg.replayPaused());
        return new JsonObject(x);
    }

    private static JsonArray replication(PgSnapshot pg) {
        JsonArray rows = new JsonArray();
        for (ReplicationPeer r : pg.replication()) {
            rows.add(new JsonObject()
                    .put("usename", r.usename())
                    .put("application_name", r.applicationName())
                    .put("client_addr", r.clientAddr())
                    .put("state", r.state())
                    .put("sync_state", r.syncState())
                    .put("sync_priority", r.syncPriority()));
        }
        return rows;
    }

    static String timestamp(Instant t) {
        return PYTHON_TS.format(t.atOffset(ZoneOffset.UTC));
    }
}
