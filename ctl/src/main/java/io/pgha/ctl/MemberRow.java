package io.pgha.ctl;

import io.pgha.dcs.model.Lsn;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One member as {@code pgha list} shows it.
 *
 * @param role     Leader, Sync Standby or Replica (patronictl's words)
 * @param state    the replication state of a replica when it has one (streaming), else PostgreSQL's state
 * @param lagBytes bytes behind the leader's optime; empty for the leader and when the leader published none
 * @param upstream whom it replicates from: its {@code replicatefrom} tag, else the leader; empty for the leader
 * @param leaseTtl the TTL the DCS granted the member's lease (pgha's {@code lease_ttl}), in seconds; empty for a
 *                 member that does not publish it (Patroni): a changed config ttl holds once every member shows it
 * @param archiveStuckSince when the member's WAL archiving started failing, as it published it; empty while it works
 */
record MemberRow(String name, String host, int port, String role, String state, Optional<Long> timeline,
                 Optional<Long> lsn, Optional<Long> lagBytes, Map<String, Object> tags, boolean pendingRestart,
                 Optional<Object> scheduledRestart, String apiUrl, Optional<String> upstream,
                 Optional<Long> leaseTtl, Optional<String> archiveStuckSince) {

    static final String LEADER = "Leader";
    /** patronictl's word for the leader of a standby cluster, which replicates from a remote primary. */
    static final String STANDBY_LEADER = "Standby Leader";
    static final String SYNC_STANDBY = "Sync Standby";
    static final String QUORUM_STANDBY = "Quorum Standby";
    static final String REPLICA = "Replica";

    MemberRow {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    boolean isLeader() {
        return role.equals(LEADER) || role.equals(STANDBY_LEADER);
    }

    String hostPort() {
        if (host.isEmpty()) {
            return "";
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port > 0 ? h + ":" + port : h;
    }

    /** Megabytes with one decimal, as patronictl prints lag. */
    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    String tagsText() {
        return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject()
                .put("name", name)
                .put("host", host.isEmpty() ? null : host)
                .put("port", port > 0 ? port : null)
                .put("role", role)
                .put("state", state)
                .put("timeline", timeline.orElse(null))
                .put("lsn", lsn.map(Lsn::format).orElse(null))
                .put("lag_bytes", lagBytes.orElse(null))
                .put("lag_mb", lagBytes.map(b -> Math.round(b / 1048576.0 * 10) / 10.0).orElse(null))
                .put("tags", new JsonObject(new LinkedHashMap<>(tags)))
                .put("pending_restart", pendingRestart)
                .put("scheduled_restart", scheduledRestart.map(MemberRow::json).orElse(null))
                .put("api_url", apiUrl.isEmpty() ? null : apiUrl)
                .put("upstream", upstream.orElse(null))
                .put("lease_ttl", leaseTtl.orElse(null));
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Object json(Object v) {
        return v instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : v;
    }
}
