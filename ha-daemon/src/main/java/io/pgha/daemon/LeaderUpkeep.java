package io.pgha.daemon;

import io.pgha.config.DynamicConfig;
import io.pgha.config.PghaConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.ClusterStatus;
import io.pgha.dcs.model.HistoryEntry;
import io.pgha.dcs.model.Lsn;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.SyncState;
import io.pgha.dcs.model.Versioned;
import io.pgha.ha.Observation;
import io.pgha.ha.PgState;
import io.pgha.ha.ReplicationPeer;
import io.pgha.ha.StandbyNames;
import io.pgha.ha.SyncConfirmation;
import io.pgha.ha.SyncFollowUp;
import io.pgha.ha.SyncPlan;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.PgConf;
import io.pgha.postgres.Postgres;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a leader does every cycle it keeps the key: replication slots for the members, one step of
 * the synchronous standby plan, the failsafe key, the timeline history and the initialize key.
 */
final class LeaderUpkeep {
    private final PghaConfig config;
    private final Dcs dcs;
    private final Postgres pg;
    private final ActionSettings settings;
    private final Map<String, Long> slotsGoneSince = new HashMap<>();
    private final SyncConfirmation syncConfirmation = new SyncConfirmation();
    private final SyncFollowUp syncFollowUp = new SyncFollowUp();
    /** The failsafe key as last written by this leader (this cycle's snapshot still has the value before). */
    private Optional<Map<String, String>> failsafeKeyWritten = Optional.empty();

    LeaderUpkeep(PghaConfig config, Dcs dcs, Postgres pg, ActionSettings settings) {
        this.config = config;
        this.dcs = dcs;
        this.pg = pg;
        this.settings = settings;
    }

    /** A cycle begins: a leader's follow-up is spent; any other cycle ends a run of quick ones. */
    void cycleStarts(boolean keepsLeading) {
        if (keepsLeading) {
            syncFollowUp.cycleStarts();
        } else {
            syncFollowUp.idle();
        }
        failsafeKeyWritten = Optional.empty();
    }

    /** When the next cycle should come sooner than loop_wait: a synchronous standby change is under way. */
    OptionalLong followUpAt() {
        return syncFollowUp.dueAt();
    }

    /** What this leader wrote to the failsafe key this cycle, even if the write then failed: it may have landed. */
    Optional<Map<String, String>> failsafeKeyWritten() {
        return failsafeKeyWritten;
    }

    String keepLeading(Cluster cluster, Observation o, PgSnapshot seen) throws SQLException {
        List<String> done = new ArrayList<>(syncSlots(cluster, o.nowNanos()));
        syncReplication(cluster, seen, o.nowNanos()).ifPresent(done::add);
        failsafeKey(cluster).ifPresent(done::add);
        if (o.pg() instanceof PgState.Running r && r.timeline() > 1 && cluster.timelineFromHistory() < r.timeline()) {
            done.add(recordHistory(cluster, r.timeline()));
        }
        if (cluster.initialize().isPresent() && cluster.initialize().get().value().isBlank() && o.pg() instanceof PgState.Running r) {
            dcs.write(ClusterKey.INITIALIZE, Long.toUnsignedString(r.systemId()), Expect.version(cluster.initialize().get().version()));
            done.add("wrote initialize");
        }
        return String.join(", ", done);
    }

    /**
     * The standby leader's share of the upkeep: slots for the members cascading from it, the
     * initialize key. No synchronous replication (a standby acknowledges no commits of its own) and
     * no history of its own (the timelines are the remote cluster's).
     */
    String keepLeadingStandby(Cluster cluster, Observation o) throws SQLException {
        List<String> done = new ArrayList<>(syncSlots(cluster, o.nowNanos()));
        failsafeKey(cluster).ifPresent(done::add);
        if (cluster.initialize().isPresent() && cluster.initialize().get().value().isBlank() && o.pg() instanceof PgState.Running r) {
            dcs.write(ClusterKey.INITIALIZE, Long.toUnsignedString(r.systemId()), Expect.version(cluster.initialize().get().version()));
            done.add("wrote initialize");
        }
        return String.join(", ", done);
    }

    /**
     * The {@code failsafe} key, kept by the leader: with failsafe_mode on, every member that published
     * an api_url (and this one), written only when that changed; with it off, deleted. It names whom
     * the leader must hear from to keep running without the DCS, and who may race then.
     */
    private Optional<String> failsafeKey(Cluster cluster) {
        Optional<Versioned<Map<String, String>>> current = cluster.failsafe();
        if (!settings.dynamic().failsafeMode()) {
            if (current.isEmpty()) {
                return Optional.empty();
            }
            dcs.delete(ClusterKey.FAILSAFE, Expect.anything());
            return Optional.of("removed the failsafe key (failsafe_mode is off)");
        }
        Map<String, String> wanted = new TreeMap<>();
        for (Member m : cluster.members().values()) {
            if (!m.data().apiUrl().isBlank()) {
                wanted.put(m.name(), m.data().apiUrl());
            }
        }
        wanted.put(config.name(), MemberReport.apiUrl(config));
        if (current.isPresent() && current.get().value().equals(wanted)) {
            return Optional.empty();
        }
        // Only the leader writes it, so no compare-and-swap: a malformed value is replaced, not stuck on.
        failsafeKeyWritten = Optional.of(wanted); // set first: a write that times out may still have landed
        dcs.write(ClusterKey.FAILSAFE, new JsonObject(new LinkedHashMap<>(wanted)).encode(), Expect.anything());
        return Optional.of("failsafe key now " + String.join(", ", wanted.keySet()));
    }

    /** One step of {@link SyncPlan} per cycle: the order of the steps is what keeps failover lossless. */
    private Optional<String> syncReplication(Cluster cluster, PgSnapshot seen, long now) throws SQLException {
        StandbyNames guc = StandbyNames.parse(pg.synchronousStandbyNames());
        List<ReplicationPeer> rows = seen.replication();
        if (syncConfirmation.wantsThreshold(guc, now)) {
            syncConfirmation.threshold(pg.currentFlushLsn());
        }
        boolean confirmed = syncConfirmation.confirmed(guc, rows);
        DynamicConfig dynamic = settings.dynamic();
        SyncPlan.Step step = SyncPlan.next(new SyncPlan.Inputs(config.name(), dynamic.synchronousMode(), dynamic.synchronousModeStrict(),
                dynamic.strictRejectsWrites(), dynamic.synchronousNodeCount(), cluster, guc, confirmed, pg.defaultReadOnly(), rows));
        syncFollowUp.after(step, now);
        if (step instanceof SyncPlan.SetStandbyNames s) {
            pg.setSynchronousStandbyNames(s.value().render());
            syncConfirmation.changed(s.value(), now);
        } else if (step instanceof SyncPlan.RejectWrites r) {
            pg.setDefaultReadOnly(r.reject());
        } else if (step instanceof SyncPlan.WriteSyncKey w) {
            SyncState next = new SyncState(Optional.of(config.name()), w.voters(), w.quorum().map(Integer::longValue));
            Expect expect = cluster.sync().map(v -> Expect.version(v.version())).orElse(Expect.absent());
            if (!(dcs.write(ClusterKey.SYNC, next.toJson(), expect) instanceof CasResult.Written)) {
                return Optional.of("sync key changed meanwhile; next cycle");
            }
        } else if (step instanceof SyncPlan.DropSyncKey) {
            Expect expect = cluster.sync().map(v -> Expect.version(v.version())).orElse(Expect.anything());
            if (!(dcs.delete(ClusterKey.SYNC, expect) instanceof CasResult.Written)) {
                return Optional.of("sync key changed meanwhile; next cycle");
            }
        }
        return step instanceof SyncPlan.Steady ? Optional.empty() : Optional.of(step.describe());
    }

    private List<String> syncSlots(Cluster cluster, long now) throws SQLException {
        if (!settings.dynamic().postgresql().useSlots()) {
            return List.of();
        }
        Set<String> wanted = new HashSet<>();
        for (Member m : cluster.members().values()) {
            if (!m.name().equals(config.name())) {
                wanted.add(PgConf.slotName(m.name()));
            }
        }
        slotsGoneSince.keySet().removeIf(wanted::contains);
        // Keep a vanished member's slot for member_slots_ttl: it is probably restarting and will
        // need the WAL it has not received yet.
        return pg.syncSlots(wanted, slot -> now - slotsGoneSince.computeIfAbsent(slot, x -> now) < settings.dynamic().memberSlotsTtl().toNanos());
    }

    private String recordHistory(Cluster cluster, long timeline) {
        Path file = pg.dataDir().resolve("pg_wal").resolve(String.format("%08X.history", timeline));
        List<HistoryEntry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+", 3);
                if (f.length < 2 || line.startsWith("#")) {
                    continue;
                }
                entries.add(new HistoryEntry(Long.parseLong(f[0]), Lsn.parse(f[1]),
                        f.length > 2 ? f[2] : "", Optional.empty(), Optional.empty()));
            }
        } catch (IOException | RuntimeException e) {
            return "history not recorded (" + file.getFileName() + ": " + e.getMessage() + ")";
        }
        if (!entries.isEmpty()) {
            HistoryEntry last = entries.remove(entries.size() - 1);
            entries.add(new HistoryEntry(last.timeline(), last.lsn(), last.reason(),
                    Optional.of(Instant.now().toString()), Optional.of(config.name())));
        }
        // Keep timestamps and leaders of earlier entries as the key already has them.
        List<HistoryEntry> known = cluster.history().map(h -> h.value()).orElse(List.of());
        for (int i = 0; i < known.size() && i < entries.size() - 1; i++) {
            entries.set(i, known.get(i));
        }
        Expect expect = cluster.history().map(h -> Expect.version(h.version())).orElse(Expect.absent());
        CasResult r = dcs.write(ClusterKey.HISTORY, HistoryEntry.toJson(entries), expect);
        return r instanceof CasResult.Written ? "recorded timeline " + timeline + " in history" : "history changed meanwhile";
    }

    void publishLeaderStatus(PgSnapshot s) {
        ClusterStatus status = new ClusterStatus(s.runsAsPrimary() ? s.writeLsn() : s.walPosition(), Map.of(), List.of(), s.timeline());
        dcs.write(ClusterKey.STATUS, status.toJson(), Expect.anything());
    }
}
