package io.pgha.ctl;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;
import io.pgha.dcs.model.Versioned;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster as the operator sees it, computed from one DCS snapshot without I/O: the members with
 * role, state, timeline and lag, plus what the header and footer of {@code pgha list} say.
 */
record ClusterView(String scope, Optional<String> systemId, Optional<String> leader, boolean paused,
                   Optional<ScheduledSwitchover> scheduledSwitchover, Optional<SyncSummary> synchronous, List<MemberRow> members,
                   Optional<String> standbyOf) {

    record ScheduledSwitchover(OffsetDateTime at, Optional<String> from, Optional<String> to) {
        JsonObject toJson() {
            return new JsonObject().put("at", at.toString()).put("from", from.orElse(null)).put("to", to.orElse(null));
        }
    }

    ClusterView {
        members = List.copyOf(members);
    }

    static ClusterView of(Cluster c, String scope) {
        Optional<String> leader = c.leaderName();
        long optime = leaderOptime(c);
        List<MemberRow> rows = new ArrayList<>();
        for (Member m : c.members().values()) { // sorted by name
            rows.add(row(c, m, leader, optime));
        }
        FailoverRequest f = c.failoverRequest();
        Optional<ScheduledSwitchover> scheduled = f.scheduledAt().map(at -> new ScheduledSwitchover(at, f.leader(), f.candidate()));
        Optional<String> sysid = c.initialize().map(Versioned::value).filter(s -> !s.isBlank());
        return new ClusterView(scope, sysid, c.leaderName(), paused(c), scheduled, SyncSummary.of(c), rows, standbyOf(c));
    }

    Optional<MemberRow> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    Optional<MemberRow> leaderRow() {
        return leader.flatMap(this::member);
    }

    /**
     * The leader's WAL position: the status key's optime or, when fresher, what the leader put in its
     * member key (both are written every cycle, the member key sometimes first).
     */
    private static long leaderOptime(Cluster c) {
        long fromMember = c.leaderName().flatMap(c::member).flatMap(m -> m.data().xlogLocation()).orElse(0L);
        return Math.max(c.optime(), fromMember);
    }

    private static MemberRow row(Cluster c, Member m, Optional<String> leader, long optime) {
        MemberData d = m.data();
        boolean isLeader = leader.map(m.name()::equals).orElse(false);
        String role = isLeader ? ("standby_leader".equals(d.role()) ? MemberRow.STANDBY_LEADER : MemberRow.LEADER)
                : c.syncState().isActive() && c.syncState().isSyncStandby(m.name())
                ? (c.syncState().isQuorum() ? MemberRow.QUORUM_STANDBY : MemberRow.SYNC_STANDBY) : MemberRow.REPLICA;
        String state = !isLeader && d.replicationState().filter(r -> !r.isEmpty()).isPresent() ? d.replicationState().get() : d.state();
        Optional<Long> lag = isLeader || optime <= 0 ? Optional.empty() : d.xlogLocation().map(x -> Math.max(0, optime - x));
        Optional<String> upstream = isLeader ? Optional.empty()
                : d.tag("replicatefrom").map(String::valueOf).filter(u -> c.members().containsKey(u)).or(() -> leader);
        String host = "";
        int port = 0;
        try {
            URI u = URI.create(d.connUrl());
            if (u.getHost() != null) {
                host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
                port = Math.max(0, u.getPort());
            }
        } catch (IllegalArgumentException e) {
            // listed without host:port rather than not at all
        }
        return new MemberRow(m.name(), host, port, role, state, d.timeline(), d.xlogLocation(), lag, d.tags(),
                d.pendingRestart(), Optional.ofNullable(d.extra().get("scheduled_restart")), d.apiUrl(), upstream,
                leaseTtl(d), Optional.ofNullable(d.extra().get("pgha_archive_stuck_since")).map(String::valueOf));
    }

    private static Optional<Long> leaseTtl(MemberData d) {
        return d.extra().get("lease_ttl") instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    /** For a standby cluster, what it replicates from, in words: "10.0.0.1:5432, apply delay 1h". */
    private static Optional<String> standbyOf(Cluster c) {
        return c.standbyCluster().map(sc -> {
            String from = sc.containsKey("host") ? sc.getValue("host") + ":" + sc.getValue("port", 5432) : "the archive";
            return from + (sc.containsKey("recovery_min_apply_delay") ? ", apply delay " + sc.getValue("recovery_min_apply_delay") : "");
        });
    }

    private static boolean paused(Cluster c) {
        try {
            return c.configJson().map(j -> Boolean.TRUE.equals(j.getValue("pause"))).orElse(false);
        } catch (DecodeException e) {
            return false;
        }
    }

    JsonObject toJson() {
        JsonArray ms = new JsonArray();
        members.forEach(m -> ms.add(m.toJson()));
        return new JsonObject()
                .put("scope", scope)
                .put("system_id", systemId.orElse(null))
                .put("leader", leader.orElse(null))
                .put("paused", paused)
                .put("scheduled_switchover", scheduledSwitchover.map(ScheduledSwitchover::toJson).orElse(null))
                .put("synchronous", synchronous.map(SyncSummary::toJson).orElse(null))
                .put("members", ms);
    }
}
