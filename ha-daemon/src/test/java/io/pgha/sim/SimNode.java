package io.pgha.sim;

import io.pgha.dcs.Lease;
import io.pgha.ha.Failsafe;
import io.pgha.ha.RejoinPlan;

import java.time.Duration;
import java.util.Map;

/**
 * One machine: its PostgreSQL and the daemon's own state — session lease as last confirmed, fence
 * timer, whether a cycle is under way, whether the process is frozen. {@code generation} counts
 * boots: events meant for an earlier boot are dropped.
 */
final class SimNode {
    final int index;
    final String name;
    final SimPostgres pg = new SimPostgres();

    boolean up = true;
    long generation;
    int frozen;
    int crashes;
    /** Daemon kills in effect: while above 0 the daemon does not run, PostgreSQL and the fence keeper do. */
    int daemonsKilled;
    boolean busy;
    boolean wakeRequested;
    SimEvent deferred;
    long tick;

    long leaseId;
    long leaseDeadline;
    /** The TTL the session's lease was asked for (MemberSession.requestedTtl); 0 before the session's first grant. */
    long leaseTtlNanos;
    /** The lease that carried the leader key in the last snapshot this daemon read (0: none). */
    long keyLease;
    /** The last snapshot this daemon read had a leader key (HaLoop's lastCluster.hasLeader()). */
    boolean sawLeader;
    boolean wonLeader;

    boolean fenceArmed;
    long fenceAt;
    long fenceGeneration;
    int fenceFired;

    /** Failsafe mode, in the daemon's memory (gone with a crash): the failsafe key last read, the grant it holds as primary, */
    Map<String, String> failsafeKey = Map.of();
    long failsafeGrantedUntil;
    /** … the leader it acknowledged as replica, and when its daemon started. */
    Failsafe.Acknowledgement acknowledged;
    long bootedAt;
    /** Failed rewinds in a row and the state reported, as the daemon's ReplicaPath keeps them (gone with a crash). */
    RejoinPlan.State rejoin = RejoinPlan.State.FRESH;
    /** The world's truth for the checker: the last leader this node promised not to race against, and when. Survives crashes. */
    String promisedTo = "";
    long promisedAt;

    SimNode(int index) {
        this.index = index;
        this.name = name(index);
    }

    static String name(int index) {
        return "n" + index;
    }

    static int index(String name) {
        return Integer.parseInt(name.substring(1));
    }

    Lease lease(Duration ttl) {
        return new Lease(leaseId, ttl, leaseDeadline);
    }

    boolean daemonRuns() {
        return up && frozen == 0 && daemonsKilled == 0;
    }

    String memberJson() {
        StringBuilder b = new StringBuilder("{\"conn_url\":\"postgres://").append(name).append(":5432/postgres\",\"api_url\":\"http://")
                .append(name).append(":8008/patroni\",\"state\":\"").append(pg.running() ? "running" : "stopped")
                .append("\",\"role\":\"").append(pg.acceptsWrites() ? "primary" : "replica").append('"');
        if (pg.running()) {
            b.append(",\"xlog_location\":").append(pg.wal());
        }
        if (pg.timeline() > 0) {
            b.append(",\"timeline\":").append(pg.timeline());
        }
        if (pg.runningReplica()) {
            // as the daemon publishes it: a running replica always says which, so one without the field is a foreign daemon
            b.append(",\"replication_state\":\"").append(pg.upstream() >= 0 ? "streaming" : "in archive recovery").append('"');
        }
        return b.append('}').toString();
    }
}
