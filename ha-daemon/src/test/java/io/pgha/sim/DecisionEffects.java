package io.pgha.sim;

import io.pgha.dcs.model.Cluster;
import io.pgha.ha.Decision;
import io.pgha.ha.Observation;
import io.pgha.ha.RejoinPlan;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code io.pgha.daemon.Actions} does for each decision, on the simulated DCS and PostgreSQL.
 * DCS writes fail when the node cannot reach the DCS at the instant of acting; a promotion (or a
 * start as primary) is reported to the {@link Invariants} with the DCS's truth about the key.
 */
final class DecisionEffects {
    /** pg_rewind on, and a directory it cannot bring back is cloned again: a member never waits for an operator. */
    private static final RejoinPlan REJOIN = new RejoinPlan(true, true);

    private final Simulation world;

    DecisionEffects(Simulation world) {
        this.world = world;
    }

    String carryOut(SimNode node, Decision d, Observation o) {
        long now = world.now();
        SimDcs dcs = world.dcs();
        boolean reach = world.network().reachesDcs(node.index);
        Cluster cluster = o.cluster().orElse(null);
        node.wonLeader = false;
        if (d instanceof Decision.KeepLeading) {
            if (node.leaseDeadline - world.settings().safetyMargin().toNanos() <= now) {
                return "not done: the lease is within its safety margin by now"; // Actions.leaseOutlastsMargin
            }
            if (reach && world.settings().failsafeMode()) {
                failsafeKey(node, cluster, dcs, now);
            }
            String synced = world.sync().leaderStep(node, cluster, world, reach);
            if (reach && node.pg.timeline() > 1 && cluster.timelineFromHistory() < node.pg.timeline()) {
                dcs.put(SimDcs.KEYS.prefix() + "history", "[[" + (node.pg.timeline() - 1) + "," + node.pg.wal() + ",\"promoted\"]]", 0, now);
                return "recorded timeline " + node.pg.timeline() + (synced.isEmpty() ? "" : ", " + synced);
            }
            return synced;
        }
        if (d instanceof Decision.AcquireLeader) {
            if (!reach) {
                return "not done, DCS failed";
            }
            if (!dcs.createIfAbsent(SimDcs.KEYS.leader(), node.name, node.leaseId, now)) {
                if (node.pg.acceptsWrites()) {
                    node.pg.stop(now); // Actions: a primary that fails to take its key back demotes at once
                    node.pg.startAs(false, -1, now);
                    return "lost the race; stopped immediately; restarted read-only";
                }
                return "lost the race";
            }
            node.wonLeader = true;
            if (node.pg.runningReplica()) {
                world.becomesWritable(node, "promoted after acquiring the key");
                node.pg.promote(now);
                return "acquired the leader key; promoted to timeline " + node.pg.timeline();
            }
            return "acquired the leader key";
        }
        if (d instanceof Decision.TakeOverLeader t) {
            if (!reach || !dcs.takeOver(SimDcs.KEYS.leader(), node.name, t.version(), node.leaseId, now)) {
                return "not done: the leader key changed or expired since it was read";
            }
            node.wonLeader = true;
            return "the leader key is bound to my lease " + node.leaseId;
        }
        if ((d instanceof Decision.Promote || d instanceof Decision.RestartPrimary)
                && node.leaseDeadline - world.settings().safetyMargin().toNanos() <= now) {
            return "not done: the lease is within its safety margin by now"; // Actions.leaseOutlastsMargin
        }
        if (d instanceof Decision.Promote) {
            if (node.pg.runningReplica()) {
                world.becomesWritable(node, "promoted");
                node.pg.promote(now);
                return "promoted to timeline " + node.pg.timeline();
            }
            return "promotion failed: not a running replica";
        }
        if (d instanceof Decision.Demote) {
            node.pg.stop(now);
            node.pg.startAs(false, -1, now);
            return "stopped immediately; restarted read-only";
        }
        if (d instanceof Decision.ReleaseLeader) {
            if (!reach) {
                return "not done, DCS failed";
            }
            return dcs.deleteIfValue(SimDcs.KEYS.leader(), node.name, now) ? "released the leader key" : "the leader key was no longer mine";
        }
        if (d instanceof Decision.RestartPrimary) {
            world.becomesWritable(node, "restarted as primary");
            node.pg.startAs(true, -1, now);
            return "restarted PostgreSQL as primary";
        }
        if (d instanceof Decision.Follow f) {
            Optional<SimNode> up = upstream(cluster, f.leader());
            if (up.isEmpty()) {
                return "leader has published no conn_url yet";
            }
            node.pg.follow(up.get().index);
            return "following " + f.leader();
        }
        if (d instanceof Decision.StartReplica s) {
            Optional<SimNode> up = s.leader().isEmpty() ? Optional.empty() : upstream(cluster, s.leader());
            if (up.isPresent()) {
                SimNode leader = up.get();
                if (RejoinPlan.mayHaveDiverged(node.pg.timeline(), leader.pg.timeline(), s.wasPrimary())) {
                    Optional<String> blocked = rejoin(node, leader);
                    if (blocked.isPresent()) {
                        return blocked.get();
                    }
                }
            }
            node.pg.startAs(false, up.map(n -> n.index).orElse(-1), now);
            return "started as replica" + up.map(n -> " of " + n.name).orElse(" without upstream");
        }
        if (d instanceof Decision.Clone c) {
            Optional<SimNode> up = upstream(cluster, c.from());
            if (up.isEmpty() || !world.canTalk(node, up.get()) || !up.get().pg.running()) {
                return "pg_basebackup from " + c.from() + " failed";
            }
            node.pg.copyFrom(up.get().pg);
            node.pg.startAs(false, up.get().index, now);
            return "cloned from " + c.from();
        }
        if (d instanceof Decision.RaceInitialize) {
            return bootstrap(node, reach, now, dcs);
        }
        if (d instanceof Decision.Wait || d instanceof Decision.HoldOn || d instanceof Decision.Refuse) {
            return "";
        }
        throw new IllegalStateException("the simulation issues no operator requests, so this decision cannot arise: " + d.logLine());
    }

    /** ReplicaPath.rejoin by the daemon's {@link RejoinPlan}: pg_rewind copies the leader's history when it can reach it. */
    private Optional<String> rejoin(SimNode node, SimNode leader) {
        RejoinPlan.Step step = REJOIN.diverged(node.pg.timeline(), leader.pg.timeline(), node.rejoin);
        if (step instanceof RejoinPlan.Rewind) {
            boolean reached = world.canTalk(node, leader) && leader.pg.running();
            if (reached) {
                node.pg.copyFrom(leader.pg);
            }
            step = REJOIN.afterRewind(leader.name, reached, false, "unreachable", node.rejoin);
        }
        node.rejoin = step.state();
        if (step instanceof RejoinPlan.MoveAside m) {
            node.pg.wipe();
            return Optional.of(m.before() + "aside" + m.after());
        }
        return step instanceof RejoinPlan.StayStopped stay ? Optional.of(stay.why()) : Optional.empty();
    }

    /** Actions.failsafeKey: every member with an api_url, and the leader itself, written when that changed. */
    private static void failsafeKey(SimNode node, Cluster cluster, SimDcs dcs, long now) {
        Map<String, String> wanted = new TreeMap<>();
        cluster.members().values().forEach(m -> {
            if (!m.data().apiUrl().isBlank()) {
                wanted.put(m.name(), m.data().apiUrl());
            }
        });
        wanted.put(node.name, "http://" + node.name + ":8008/patroni");
        if (!cluster.failsafe().map(v -> v.value().equals(wanted)).orElse(false)) {
            dcs.put(SimDcs.KEYS.prefix() + "failsafe", new JsonObject(new LinkedHashMap<>(wanted)).encode(), 0, now);
            // HaLoop: until the next read, the rounds ask what was read and what was written.
            Map<String, String> both = new TreeMap<>(node.failsafeKey);
            both.putAll(wanted);
            node.failsafeKey = both;
        }
    }

    private String bootstrap(SimNode node, boolean reach, long now, SimDcs dcs) {
        if (!reach || !dcs.createIfAbsent(SimDcs.KEYS.prefix() + "initialize", "", 0, now)) {
            return "another member is bootstrapping";
        }
        node.pg.initdbAndStartPrimary(now);
        dcs.put(SimDcs.KEYS.prefix() + "initialize", Long.toUnsignedString(SimPostgres.SYSTEM_ID), 0, now);
        if (!dcs.put(SimDcs.KEYS.leader(), node.name, node.leaseId, now)) {
            // Actions.bootstrap: stop, move the data directory aside, free the race.
            node.pg.wipe();
            dcs.deleteIfValue(SimDcs.KEYS.prefix() + "initialize", Long.toUnsignedString(SimPostgres.SYSTEM_ID), now);
            return "bootstrap failed: lease gone";
        }
        node.wonLeader = true;
        return "initialized and took the leader key";
    }

    private Optional<SimNode> upstream(Cluster cluster, String leader) {
        return cluster == null || cluster.member(leader).isEmpty() ? Optional.empty() : Optional.of(world.node(SimNode.index(leader)));
    }
}
