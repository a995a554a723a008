package io.pgha.rest;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.dcs.model.HistoryEntry;
import io.pgha.dcs.model.Lsn;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;
import io.pgha.dcs.model.Versioned;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /cluster} and {@code GET /history} documents from one DCS snapshot, in Patroni's
 * shape (its {@code cluster_as_json}), which patronictl and dashboards parse.
 */
final class ClusterJson {
    private ClusterJson() {
    }

    static JsonObject cluster(Cluster c, String scope) {
        Optional<String> leader = c.leaderName();
        long optime = c.optime();
        JsonArray members = new JsonArray();
        for (Member m : c.members().values()) { // sorted by name
            members.add(member(c, m, leader, optime));
        }
        JsonObject o = new JsonObject().put("members", members).put("scope", scope);
        if (paused(c)) {
            o.put("pause", true);
        }
        FailoverRequest f = c.failoverRequest();
        f.scheduledAt().ifPresent(at -> {
            JsonObject s = new JsonObject().put("at", at.toString());
            f.leader().ifPresent(l -> s.put("from", l));
            f.candidate().ifPresent(to -> s.put("to", to));
            o.put("scheduled_switchover", s);
        });
        return o;
    }

    private static JsonObject member(Cluster c, Member m, Optional<String> leader, long optime) {
        MemberData d = m.data();
        boolean isLeader = leader.isPresent() && leader.get().equals(m.name());
        String role = isLeader ? "leader" : c.syncState().isActive() && c.syncState().isSyncStandby(m.name())
                ? (c.syncState().isQuorum() ? "quorum_standby" : "sync_standby") : "replica";
        String state = !isLeader && d.replicationState().filter(r -> !r.isEmpty()).isPresent()
                ? d.replicationState().get() : d.state();
        JsonObject o = new JsonObject().put("name", m.name()).put("role", role).put("state", state).put("api_url", d.apiUrl());
        hostPort(d.connUrl(), o);
        d.timeline().ifPresent(t -> o.put("timeline", t));
        if (!d.tags().isEmpty()) {
            o.put("tags", new JsonObject(new LinkedHashMap<>(d.tags())));
        }
        if (d.pendingRestart()) {
            o.put("pending_restart", true);
        }
        copyExtra(d, "pending_restart_reason", o);
        copyExtra(d, "scheduled_restart", o);
        if (isLeader) {
            d.xlogLocation().ifPresent(x -> o.put("lsn", Lsn.format(x)));
            return o;
        }
        d.receiveLsn().ifPresent(x -> o.put("receive_lsn", Lsn.format(x)).put("receive_lag", lag(optime, x)));
        d.replayLsn().ifPresent(x -> o.put("replay_lsn", Lsn.format(x)).put("replay_lag", lag(optime, x)));
        d.xlogLocation().ifPresent(x -> o.put("lsn", Lsn.format(x)));
        o.put("lag", d.xlogLocation().map(x -> lag(optime, x)).orElse("unknown"));
        return o;
    }

    /** Bytes behind the leader's published optime; "unknown" when the leader has published none. */
    private static Object lag(long optime, long lsn) {
        return optime > 0 ? Math.max(0, optime - lsn) : "unknown";
    }

    private static void hostPort(String connUrl, JsonObject o) {
        if (connUrl.isEmpty()) {
            return;
        }
        try {
            URI u = URI.create(connUrl);
            String host = u.getHost();
            if (host != null && !host.isEmpty()) {
                o.put("host", host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
                if (u.getPort() > 0) {
                    o.put("port", u.getPort());
                }
            }
        } catch (IllegalArgumentException e) {
            // a member with an unparsable conn_url is still listed, just without host and port
        }
    }

    private static void copyExtra(MemberData d, String key, JsonObject o) {
        Object v = d.extra().get(key);
        if (v != null) {
            o.put(key, v);
        }
    }

    static boolean paused(Cluster c) {
        try {
            return c.configJson().map(j -> Boolean.TRUE.equals(j.getValue("pause"))).orElse(false);
        } catch (DecodeException e) {
            return false;
        }
    }

    /** {@code [[timeline, lsn, reason, timestamp, new_leader], ...]}, with null where the key did not record a value. */
    static JsonArray history(Cluster c) {
        JsonArray rows = new JsonArray();
        for (HistoryEntry e : c.history().map(Versioned::value).orElse(List.of())) {
            rows.add(new JsonArray().add(e.timeline()).add(e.lsn()).add(e.reason())
                    .add(e.timestamp().orElse(null)).add(e.newLeader().orElse(null)));
        }
        return rows;
    }
}
