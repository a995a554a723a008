package io.pgha.ha;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.SyncState;
import io.pgha.node.PgSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The leader's next step towards the synchronous standbys it wants, one step per cycle, each
 * keeping the ordering invariant that makes a failover safe: a member is named in the {@code sync}
 * key only once PostgreSQL confirms it as synchronous, and leaves the key before it leaves
 * {@code synchronous_standby_names}. So every member the key names has every acknowledged commit,
 * and only those may win a failover race. Pure: the effects layer carries the step out.
 */
public final class SyncPlan {
    /** Written in strict mode when no standby is eligible: commits wait rather than run unprotected. */
    public static final String PLACEHOLDER = "__pgha_strict_no_standby__";

    public sealed interface Step {
        String describe();
    }

    /** Nothing to change. */
    public record Steady() implements Step {
        @Override
        public String describe() {
            return "";
        }
    }

    /** Write the sync key naming only {@code standbys} (never more than PostgreSQL has confirmed). */
    public record WriteSyncKey(List<String> standbys, String why) implements Step {
        @Override
        public String describe() {
            return "sync key → [" + String.join(",", standbys) + "] (" + why + ")";
        }
    }

    /** Set synchronous_standby_names to {@code FIRST n (names)}, or to empty when {@code names} is. */
    public record SetStandbyNames(List<String> names, String why) implements Step {
        @Override
        public String describe() {
            return "synchronous_standby_names → " + render(names) + " (" + why + ")";
        }
    }

    /** Synchronous mode is off: drop the sync key. */
    public record DropSyncKey() implements Step {
        @Override
        public String describe() {
            return "sync key removed (synchronous mode is off)";
        }
    }

    private SyncPlan() {
    }

    /**
     * @param gucNames the names currently in synchronous_standby_names
     * @param replication the leader's pg_stat_replication rows
     */
    public static Step next(String me, boolean on, boolean strict, int count, Cluster cluster, List<String> gucNames,
                            List<PgSnapshot.ReplicationPeer> replication) {
        SyncState key = cluster.syncState();
        if (!on) {
            if (!gucNames.isEmpty()) {
                return new SetStandbyNames(List.of(), "synchronous mode is off");
            }
            return key.isActive() || !key.syncStandbys().isEmpty() ? new DropSyncKey() : new Steady();
        }
        List<String> current = key.leader().filter(me::equals).isPresent() ? key.syncStandbys() : List.of();
        List<String> desired = desired(me, count, cluster, current, replication);
        List<String> kept = current.stream().filter(desired::contains).toList();
        if (!kept.equals(current) && !(strict && kept.isEmpty())) {
            return new WriteSyncKey(kept, "no longer eligible: " + current.stream().filter(m -> !kept.contains(m)).toList());
        }
        List<String> wanted = desired.isEmpty() ? (strict ? keptOrPlaceholder(current) : List.of()) : desired;
        if (!wanted.equals(gucNames)) {
            return new SetStandbyNames(wanted, desired.isEmpty() ? (strict ? "strict: no eligible standby, commits wait"
                    : "no eligible standby, commits run unprotected") : "eligible streaming standbys");
        }
        Set<String> confirmed = new LinkedHashSet<>(current);
        for (PgSnapshot.ReplicationPeer r : replication) {
            if (desired.contains(r.applicationName()) && "sync".equals(r.syncState())) {
                confirmed.add(r.applicationName());
            }
        }
        List<String> now = desired.stream().filter(confirmed::contains).toList();
        if (strict && now.isEmpty()) {
            now = current; // the last confirmed standbys stay the only ones allowed to take over
        }
        if (!now.equals(current) || key.leader().filter(me::equals).isEmpty()) {
            return new WriteSyncKey(now, now.isEmpty() ? "no synchronous standby confirmed" : "confirmed by PostgreSQL");
        }
        return new Steady();
    }

    private static List<String> keptOrPlaceholder(List<String> current) {
        return current.isEmpty() ? List.of(PLACEHOLDER) : current;
    }

    /** Streaming members without nosync, by sync_priority, then those already synchronous, then name. */
    static List<String> desired(String me, int count, Cluster cluster, List<String> current, List<PgSnapshot.ReplicationPeer> replication) {
        Set<String> streaming = new LinkedHashSet<>();
        for (PgSnapshot.ReplicationPeer r : replication) {
            if ("streaming".equals(r.state())) {
                streaming.add(r.applicationName());
            }
        }
        List<Member> eligible = new ArrayList<>();
        for (Member m : cluster.members().values()) {
            if (!m.name().equals(me) && streaming.contains(m.name()) && !m.data().tagIsTrue("nosync")
                    && priority(m) > 0) {
                eligible.add(m);
            }
        }
        eligible.sort(Comparator.comparingInt((Member m) -> -priority(m))
                .thenComparing(m -> current.contains(m.name()) ? 0 : 1)
                .thenComparing(Member::name));
        return eligible.stream().limit(Math.max(1, count)).map(Member::name).toList();
    }

    private static int priority(Member m) {
        Object p = m.data().tags().get("sync_priority");
        return p instanceof Number n ? n.intValue() : 1;
    }

    /** The GUC value: {@code FIRST n ("a","b")} so that every named standby must confirm. */
    public static String render(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        List<String> quoted = names.stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList();
        return "FIRST " + names.size() + " (" + String.join(",", quoted) + ")";
    }

    /** The member names in a synchronous_standby_names value (any of PostgreSQL's forms). */
    public static List<String> parse(String guc) {
        String s = guc == null ? "" : guc.trim();
        if (s.isEmpty()) {
            return List.of();
        }
        int open = s.indexOf('(');
        String list = open >= 0 && s.endsWith(")") ? s.substring(open + 1, s.length() - 1) : s;
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.startsWith("\"") && p.endsWith("\"") && p.length() >= 2) {
                p = p.substring(1, p.length() - 1).replace("\"\"", "\"");
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }
}
