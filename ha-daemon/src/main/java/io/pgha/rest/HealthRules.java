package io.pgha.rest;

import io.pgha.config.DynamicConfig;
import io.pgha.dcs.model.Cluster;
import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;
import io.vertx.core.json.DecodeException;

import java.util.Locale;
import java.util.Map;

/**
 * Whether a health check passes, decided from the node's published status at the moment of asking.
 * No I/O: every rule is a function of (status, query, now), so the whole table is testable.
 *
 * <p>Stricter than Patroni on purpose: a primary check passes only while the lease is unexpired on
 * our own clock <em>and</em> PostgreSQL runs read-write, so a dead or read-only PostgreSQL is taken out
 * of the load balancer at once instead of at the next HA cycle.
 */
final class HealthRules {
    private HealthRules() {
    }

    static boolean passes(HealthCheck check, NodeStatus s, HealthQuery q, long nowNanos) {
        boolean ok = switch (check) {
            case PRIMARY -> s.isWritablePrimaryAt(nowNanos);
            case LEADER -> s.leadsAt(nowNanos);
            case STANDBY_LEADER -> s.leadsAt(nowNanos) && StatusJson.isStandbyLeader(s) && "running".equals(s.pg().state());
            case REPLICA -> replica(s, q);
            case READ_ONLY -> s.isWritablePrimaryAt(nowNanos) || replica(s, q) || standbyLeaderServing(s, nowNanos);
            case HEALTH -> s.pg().running() && "running".equals(s.pg().state());
            case LIVENESS -> live(s, nowNanos);
            case READINESS -> ready(s, q, nowNanos);
            case SYNC -> s.cluster().isPresent() && replica(s, q) && isSyncStandby(s) && !isQuorumKey(s);
            case QUORUM -> s.cluster().isPresent() && replica(s, q) && isSyncStandby(s) && isQuorumKey(s);
            case READ_ONLY_SYNC -> s.isWritablePrimaryAt(nowNanos) || s.cluster().isPresent() && replica(s, q) && isSyncStandby(s) && !isQuorumKey(s);
            case READ_ONLY_QUORUM -> s.isWritablePrimaryAt(nowNanos) || s.cluster().isPresent() && replica(s, q) && isSyncStandby(s) && isQuorumKey(s);
            case ASYNC -> s.cluster().isPresent() && replica(s, q) && !isSyncStandby(s);
        };
        return ok && (!check.filtersByTags() || tagsMatch(s.tags(), q.tags()));
    }

    /** A standby leader serves reads as a primary would, which is why /read-only counts it and /replica (as in Patroni) does not. */
    static boolean standbyLeaderServing(NodeStatus s, long nowNanos) {
        return s.leadsAt(nowNanos) && StatusJson.isStandbyLeader(s) && "running".equals(s.pg().state());
    }

    /** A replica a load balancer may send reads to. */
    static boolean replica(NodeStatus s, HealthQuery q) {
        PgSnapshot pg = s.pg();
        if (!pg.runsAsReplica() || !"running".equals(pg.state()) || isTrue(s.tags().get("noloadbalance")) || StatusJson.isStandbyLeader(s)) {
            return false;
        }
        if (q.lag().isPresent() && replayLag(s) > q.lag().getAsLong()) {
            return false;
        }
        return q.replicationState().isEmpty() || q.replicationState().get().equals(pg.replicationState());
    }

    /**
     * The HA loop is not stuck: its last cycle ended less than one ttl ago (two on a non-leader,
     * which has nothing to lose by waiting). Paused, nothing is expected of the loop.
     */
    static boolean live(NodeStatus s, long nowNanos) {
        if (s.paused()) {
            return true;
        }
        long allowance = s.ttl().toNanos() * (s.holdsLeaderKey() ? 1 : 2);
        return nowNanos - s.lastCycleNanos() < allowance;
    }

    /** Ready to serve: the leader, or a streaming replica within the failover lag limit. */
    static boolean ready(NodeStatus s, HealthQuery q, long nowNanos) {
        if (s.leadsAt(nowNanos)) {
            return true;
        }
        PgSnapshot pg = s.pg();
        if (!pg.runsAsReplica() || !"running".equals(pg.state()) || !"streaming".equals(pg.replicationState())) {
            return false;
        }
        if (s.cluster().isEmpty() && pg.receiveLsn() == 0) {
            return false; // nothing to measure lag against
        }
        long position = q.writeMode() ? pg.receiveLsn() : pg.replayLsn();
        long lag = Math.max(0, leaderOptime(s) - position);
        return lag <= q.lag().orElse(maximumLagOnFailover(s));
    }

    /** The leader's WAL position as far as we know: its published optime, or what we have received if that is further. */
    static long leaderOptime(NodeStatus s) {
        return Math.max(s.cluster().map(Cluster::optime).orElse(0L), s.pg().receiveLsn());
    }

    static long replayLag(NodeStatus s) {
        return Math.max(0, leaderOptime(s) - s.pg().replayLsn());
    }

    static boolean isSyncStandby(NodeStatus s) {
        return s.cluster().map(c -> c.syncState().isSyncStandby(s.name())).orElse(false);
    }

    static boolean isQuorumKey(NodeStatus s) {
        return s.cluster().map(c -> c.syncState().isQuorum()).orElse(false);
    }

    /** Every requested tag is set locally to that value; non-string values compare in lower case ({@code true}, {@code 1}). */
    static boolean tagsMatch(Map<String, Object> tags, Map<String, String> wanted) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            Object have = tags.get(w.getKey());
            if (have == null) {
                return false;
            }
            String text = have instanceof String str ? str : String.valueOf(have).toLowerCase(Locale.ROOT);
            if (!text.equals(w.getValue())) {
                return false;
            }
        }
        return true;
    }

    static boolean isTrue(Object tag) {
        return Boolean.TRUE.equals(tag) || (tag instanceof String str && str.equalsIgnoreCase("true"));
    }

    /** From the cluster's dynamic config when it has a usable number there, else Patroni's default of 1 MiB. */
    static long maximumLagOnFailover(NodeStatus s) {
        try {
            Object v = s.cluster().flatMap(Cluster::configJson).map(c -> c.getValue("maximum_lag_on_failover")).orElse(null);
            return v instanceof Number n && n.longValue() >= 0 ? n.longValue() : DynamicConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER;
        } catch (DecodeException e) {
            return DynamicConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER;
        }
    }
}
