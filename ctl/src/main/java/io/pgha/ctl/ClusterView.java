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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        return of(c, scope, Instant.now());
    }

    /** @param now this machine's clock, against which a standby leader's replay delay is judged */
    static ClusterView of(Cluster c, String scope, Instant now) {
        Optional<String> leader = c.leaderName();
        long optime = leaderOptime(c);
        List<MemberRow> rows = new ArrayList<>();
        for (Member m : c.members().values()) { // sorted by name
            rows.add(row(c, m, leader, optime));
        }
        FailoverRequest f = c.failoverRequest();
        Optional<ScheduledSwitchover> scheduled = f.scheduledAt().map(at -> new ScheduledSwitchover(at, f.leader(), f.candidate()));
        Optional<String> sysid = c.initialize().map(Versioned::value).filter(s -> !s.isBlank());
        return new ClusterView(scope, sysid, c.leaderName(), paused(c), scheduled, SyncSummary.of(c), rows, standbyOf(c, now));
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

    /**
     * For a standby cluster, what it replicates from and how far behind its leader replays, in words:
     * "10.0.0.1:5432, apply delay 1h; the standby leader replays 59.8 min behind".
     */
    private static Optional<String> standbyOf(Cluster c, Instant now) {
        return c.standbyCluster().map(sc -> {
            String from = sc.containsKey("host") ? sc.getValue("host") + ":" + sc.getValue("port", 5432) : "the archive";
            String delay = sc.containsKey("recovery_min_apply_delay") ? ", apply delay " + sc.getValue("recovery_min_apply_delay") : "";
            String behind = c.leaderName().flatMap(c::member).map(m -> replayBehind(m.data(), now)).orElse("");
            return from + delay + behind;
        });
    }

    private static String replayBehind(MemberData d, Instant now) {
        Optional<Duration> delay = replayDelay(d, now);
        if (delay.isPresent()) {
            return delay.get().isZero() ? "; the standby leader has replayed all it received"
                    : "; the standby leader replays " + words(delay.get()) + " behind";
        }
        if (d.receiveLsn().isPresent() && d.replayLsn().isPresent()) {
            // Nothing committed has been replayed since it started: no commit time to measure from.
            return "; the standby leader has " + (d.receiveLsn().get() - d.replayLsn().get()) + " bytes received and not yet replayed";
        }
        return "";
    }

    /**
     * How long ago the last transaction a replica replayed was committed, while WAL it received waits
     * for replay (an apply delay, a slow replay); zero once it has replayed all it received, however
     * old that last commit is, so an idle primary does not read as a lagging standby.
     */
    static Optional<Duration> replayDelay(MemberData d, Instant now) {
        Optional<Long> received = d.receiveLsn();
        Optional<Long> replayed = d.replayLsn();
        if (received.isEmpty() || replayed.isEmpty()) {
            return Optional.empty();
        }
        if (replayed.get() >= received.get()) {
            return Optional.of(Duration.ZERO);
        }
        Object at = d.extra().get("pgha_replayed_at");
        if (at == null) {
            return Optional.empty();
        }
        try {
            Duration behind = Duration.between(Instant.parse(at.toString()), now);
            return Optional.of(behind.isNegative() ? Duration.ZERO : behind);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String words(Duration d) {
        double seconds = d.toMillis() / 1000.0;
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return seconds < 3600 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
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
