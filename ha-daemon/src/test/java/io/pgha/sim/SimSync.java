package io.pgha.sim;

import io.pgha.config.SynchronousMode;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.SyncState;
import io.pgha.dcs.model.Versioned;
import io.pgha.ha.ReplicationPeer;
import io.pgha.ha.StandbyNames;
import io.pgha.ha.SyncConfirmation;
import io.pgha.ha.SyncPlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Synchronous replication in the simulated world: each node's synchronous_standby_names (kept
 * across demotion, like ALTER SYSTEM), the leader's {@link SyncPlan} step per cycle as Actions
 * carries it out, and which WAL position a primary has acknowledged under a GUC that names
 * standbys: the {@code count}-th furthest of the named standbys streaming from it. A promotion
 * must then have every such position ({@code protectedAck}), and in synchronous mode only a member
 * the {@code sync} key names (or its leader) may be promoted.
 */
final class SimSync {
    private final SynchronousMode mode;
    private final int count;
    private final Map<Integer, StandbyNames> guc = new HashMap<>();
    private final Map<Integer, SyncConfirmation> confirmations = new HashMap<>();
    private long protectedAck;
    private String protectedAckBy = "";

    SimSync(SynchronousMode mode, int count) {
        this.mode = mode;
        this.count = count;
    }

    boolean on() {
        return mode != SynchronousMode.OFF;
    }

    /** One step of the leader's plan, as {@code Actions.syncReplication} does it; DCS writes need the DCS. */
    String leaderStep(SimNode leader, Cluster cluster, Simulation world, boolean reachesDcs) {
        if (!on() && guc.getOrDefault(leader.index, StandbyNames.NONE).isEmpty() && !cluster.syncState().isActive()) {
            return "";
        }
        long now = world.now();
        List<ReplicationPeer> rows = rows(leader, world);
        StandbyNames current = guc.getOrDefault(leader.index, StandbyNames.NONE);
        SyncConfirmation confirmation = confirmations.computeIfAbsent(leader.index, i -> new SyncConfirmation());
        if (confirmation.wantsThreshold(current, now)) {
            confirmation.threshold(leader.pg.wal());
        }
        boolean confirmed = confirmation.confirmed(current, rows);
        SyncPlan.Step step = SyncPlan.next(new SyncPlan.Inputs(leader.name, mode, false, false, count, cluster, current, confirmed, false, rows));
        if (step instanceof SyncPlan.SetStandbyNames s) {
            guc.put(leader.index, s.value());
            confirmation.changed(s.value(), now);
        } else if (step instanceof SyncPlan.WriteSyncKey w) {
            if (!reachesDcs) {
                return "sync key not written, DCS failed";
            }
            if (!world.dcs().compareAndSet(SimDcs.KEYS.prefix() + "sync", syncVersion(cluster),
                    new SyncState(Optional.of(leader.name), w.voters(), w.quorum().map(Integer::longValue)).toJson(), now)) {
                return "sync key changed meanwhile; next cycle";
            }
        } else if (step instanceof SyncPlan.DropSyncKey) {
            if (!reachesDcs) {
                return "sync key not dropped, DCS failed";
            }
            if (!world.dcs().compareAndSet(SimDcs.KEYS.prefix() + "sync", syncVersion(cluster), null, now)) {
                return "sync key changed meanwhile; next cycle";
            }
        }
        return step.describe();
    }

    /** The sync key's version in the snapshot the leader decided on; 0 when it had none. */
    private static long syncVersion(Cluster cluster) {
        return cluster.sync().map(Versioned::version).orElse(0L);
    }

    /** After the world moved on: what each primary has acknowledged under a GUC that names standbys. */
    void afterAdvance(Simulation world) {
        for (SimNode p : world.nodes()) {
            StandbyNames g = guc.getOrDefault(p.index, StandbyNames.NONE);
            if (!p.up || !p.pg.acceptsWrites() || g.isEmpty()) {
                continue;
            }
            List<Long> flushed = new ArrayList<>(rows(p, world).stream().filter(r -> g.names().contains(r.applicationName()))
                    .map(ReplicationPeer::flushLsn).toList());
            if (flushed.size() < g.count()) {
                continue; // commits wait
            }
            flushed.sort(Comparator.reverseOrder());
            long acked = Math.min(p.pg.wal(), flushed.get(g.count() - 1));
            if (acked > protectedAck) {
                protectedAck = acked;
                protectedAckBy = p.name + " under '" + g.render() + "'";
            }
        }
    }

    /** Why promoting {@code n} now breaks a synchronous promise; empty when it does not. */
    Optional<String> promotionProblem(SimNode n, Cluster cluster) {
        if (n.pg.wal() < protectedAck) {
            return Optional.of(n.name + " became writable at WAL " + n.pg.wal() + ", behind " + protectedAck
                    + " acknowledged synchronously by " + protectedAckBy);
        }
        SyncState key = cluster.syncState();
        if (on() && key.isActive() && !key.isSyncStandby(n.name) && !key.leader().get().equals(n.name)) {
            return Optional.of(n.name + " was promoted although the sync key names only " + key.syncStandbys() + " and leader " + key.leader().get());
        }
        return Optional.empty();
    }

    /** pg_stat_replication on {@code leader}: the nodes streaming from it, with what they have flushed. */
    private static List<ReplicationPeer> rows(SimNode leader, Simulation world) {
        List<ReplicationPeer> rows = new ArrayList<>();
        for (SimNode r : world.nodes()) {
            if (r != leader && r.up && r.pg.upstream() == leader.index && world.canTalk(r, leader) && r.pg.streamingFrom(leader.pg)) {
                rows.add(new ReplicationPeer("replicator", r.name, "", "streaming", "async", 0, r.pg.wal()));
            }
        }
        return rows;
    }
}
