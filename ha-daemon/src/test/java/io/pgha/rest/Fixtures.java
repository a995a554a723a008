package io.pgha.rest;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import io.pgha.ha.ReplicationPeer;
import io.pgha.node.NodeStatus;
import io.pgha.node.Archiver;
import io.pgha.node.PgSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** NodeStatus values for every role a health check must tell apart, all seen at {@link #NOW}. */
final class Fixtures {
    static final long NOW = 1_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long OPTIME = 0x5000000L;
    static final Duration TTL = Duration.ofSeconds(30);
    static final KeyLayout LAYOUT = new KeyLayout("/service", "demo");
    static final Instant STARTED = Instant.parse("2026-11-22T10:00:00.123456Z");

    private Fixtures() {
    }

    static PgSnapshot primaryPg() {
        return new PgSnapshot("running", "primary", true, false, Optional.of("7268616322854375442"), 3, OPTIME, 0, 0,
                Optional.empty(), false, "", 160004, Optional.of(STARTED),
                List.of(new ReplicationPeer("replicator", "node2", "10.0.0.6", "streaming", "async", 0, 0)),
                false, Map.of(), Archiver.OFF);
    }

    static PgSnapshot replicaPg(long replayLag, String replicationState) {
        return new PgSnapshot("running", "replica", true, true, Optional.of("7268616322854375442"), 3, 0, OPTIME,
                OPTIME - replayLag, Optional.of(STARTED.plusSeconds(60)), false, replicationState, 160004, Optional.of(STARTED),
                List.of(), false, Map.of(), Archiver.OFF);
    }

    /** A snapshot as the DCS would give it: leader key, status optime, and a sync key naming {@code syncStandby}. */
    static Cluster cluster(String leader, String syncStandby) {
        return cluster(leader, syncStandby, "");
    }

    /** The same in quorum mode: the sync key also says how many voters a promotion must hear from. */
    static Cluster quorumCluster(String leader, String voters) {
        return cluster(leader, voters, ",\"quorum\":1");
    }

    private static Cluster cluster(String leader, String syncStandby, String moreSync) {
        List<RawEntry> e = new ArrayList<>();
        if (leader != null) {
            e.add(new RawEntry(LAYOUT.leader(), leader, 10, 7));
        }
        e.add(new RawEntry(LAYOUT.prefix() + "status", "{\"optime\":" + OPTIME + "}", 11, 0));
        e.add(new RawEntry(LAYOUT.prefix() + "config", "{\"ttl\":30,\"maximum_lag_on_failover\":1048576}", 12, 0));
        if (syncStandby != null) {
            e.add(new RawEntry(LAYOUT.prefix() + "sync", "{\"leader\":\"node1\",\"sync_standby\":\"" + syncStandby + "\"" + moreSync + "}", 13, 0));
        }
        return Cluster.fromEntries(LAYOUT, e, 20);
    }

    static NodeStatus status(String name, PgSnapshot pg, boolean holdsKey, long leaseDeadline, Optional<Cluster> cluster,
                             Map<String, Object> tags, boolean paused, long lastCycle) {
        return new NodeStatus("demo", name, "0.1.0-SNAPSHOT", pg, holdsKey, leaseDeadline, cluster, 1_795_000_000L,
                4_000_000L, lastCycle, TTL, Duration.ofSeconds(10), tags, paused, "keep leading", "I hold the lease", "");
    }

    static NodeStatus primary() {
        return status("node1", primaryPg(), true, NOW + 20 * SECOND, Optional.of(cluster("node1", "node2")), Map.of(), false, NOW - SECOND);
    }

    static NodeStatus primaryLeaseExpired() {
        return status("node1", primaryPg(), true, NOW - 1, Optional.of(cluster("node1", "node2")), Map.of(), false, NOW - SECOND);
    }

    static NodeStatus primaryPgDead() {
        return status("node1", primaryPg().stopped("crashed"), true, NOW + 20 * SECOND, Optional.of(cluster("node1", "node2")),
                Map.of(), false, NOW - SECOND);
    }

    /** Holds the lease but PostgreSQL still runs in recovery: just before promotion, or just after a demote. */
    static NodeStatus leaderReadOnly() {
        return status("node1", replicaPg(0, "streaming"), true, NOW + 20 * SECOND, Optional.of(cluster("node1", null)),
                Map.of(), false, NOW - SECOND);
    }

    static NodeStatus replica(String name, long replayLag, String replicationState, Map<String, Object> tags) {
        return status(name, replicaPg(replayLag, replicationState), false, 0, Optional.of(cluster("node1", "node2")), tags, false,
                NOW - SECOND);
    }

    /** A streaming replica named in a quorum-mode sync key. */
    static NodeStatus quorumReplica() {
        return status("node2", replicaPg(100, "streaming"), false, 0, Optional.of(quorumCluster("node1", "node2,node3")), Map.of(), false,
                NOW - SECOND);
    }

    static NodeStatus stopped() {
        return status("node3", PgSnapshot.notRunning("stopped", "replica"), false, 0, Optional.of(cluster("node1", "node2")),
                Map.of(), false, NOW - SECOND);
    }

    /** A replica whose HA loop has not finished a cycle for three ttl; {@code paused} decides liveness. */
    static NodeStatus stuck(boolean paused) {
        return status("node3", replicaPg(0, "streaming"), false, 0, Optional.of(cluster("node1", "node2")), Map.of(), paused,
                NOW - 3 * TTL.toNanos());
    }

    /** A streaming replica that cannot read the DCS right now. */
    static NodeStatus replicaDcsDown() {
        return status("node3", replicaPg(0, "streaming"), false, 0, Optional.empty(), Map.of(), false, NOW - SECOND);
    }
}
