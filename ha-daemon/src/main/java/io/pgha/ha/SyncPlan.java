package io.pgha.ha;

import io.pgha.config.SynchronousMode;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.SyncState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The leader's next step towards the synchronous standbys it wants, one step per cycle. Every step
 * keeps the sync key safe for every commit PostgreSQL may have acknowledged ({@link SyncQuorum}):
 * the GUC changes only to a value the current key already protects; the key moves to a new set of
 * voters only once the current GUC is confirmed (enough of its standbys have flushed past a point
 * after it took effect, so older commits are on them too); when neither is possible the key falls
 * back to naming no voter, which lets only this leader be promoted. Pure: the effects layer carries
 * the step out and tracks the confirmation ({@link SyncConfirmation}).
 */
public final class SyncPlan {
    /** Written in strict mode when no standby is eligible: commits wait rather than run unprotected. */
    public static final String PLACEHOLDER = "__pgha_strict_no_standby__";

    /**
     * @param gucConfirmed   at least {@code count} of the GUC's standbys have flushed past the point
     *                       where it took effect ({@link SyncConfirmation})
     * @param rejectWrites   strict mode rejects writes (default_transaction_read_only) rather than
     *                       letting commits wait while no standby is eligible
     * @param writesRejected default_transaction_read_only is on now
     */
    public record Inputs(String me, SynchronousMode mode, boolean strict, boolean rejectWrites, int count, Cluster cluster,
                         StandbyNames guc, boolean gucConfirmed, boolean writesRejected, List<ReplicationPeer> replication) {
    }

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

    /** Nothing to change until the GUC's standbys confirm; said in the cycle's log line. */
    public record AwaitConfirmation(StandbyNames guc) implements Step {
        @Override
        public String describe() {
            return "waiting for " + guc.count() + " of " + guc.names() + " to flush past the point where synchronous_standby_names changed";
        }
    }

    /** Write the sync key naming {@code voters}, a promotion needing {@code quorum} of them besides the candidate. */
    public record WriteSyncKey(List<String> voters, Optional<Integer> quorum, String why) implements Step {
        public WriteSyncKey {
            voters = List.copyOf(voters);
        }

        @Override
        public String describe() {
            return "sync key → [" + String.join(",", voters) + "]" + quorum.map(q -> " quorum " + q).orElse("") + " (" + why + ")";
        }
    }

    /** Set synchronous_standby_names. */
    public record SetStandbyNames(StandbyNames value, String why) implements Step {
        @Override
        public String describe() {
            return "synchronous_standby_names → '" + value.render() + "' (" + why + ")";
        }
    }

    /** Turn default_transaction_read_only on (strict mode rejecting writes) or off. */
    public record RejectWrites(boolean reject, String why) implements Step {
        @Override
        public String describe() {
            return (reject ? "rejecting writes" : "accepting writes again") + " (" + why + ")";
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

    public static Step next(Inputs in) {
        SyncState key = in.cluster().syncState();
        if (in.mode() == SynchronousMode.OFF) {
            if (!in.guc().isEmpty()) {
                return new SetStandbyNames(StandbyNames.NONE, "synchronous mode is off");
            }
            if (in.writesRejected()) {
                return new RejectWrites(false, "synchronous mode is off");
            }
            return key.isActive() || !key.syncStandbys().isEmpty() ? new DropSyncKey() : new Steady();
        }
        boolean quorumMode = in.mode() == SynchronousMode.QUORUM;
        if (key.leader().filter(in.me()::equals).isEmpty()) {
            // Whoever the key names has not seen my commits: until my own standbys confirm, only I may be promoted.
            return new WriteSyncKey(List.of(), quorumMode ? Optional.of(0) : Optional.empty(),
                    "I lead now; only I may be promoted until my standbys confirm");
        }
        List<String> voters = key.syncStandbys();
        int quorum = key.quorum().map(Long::intValue).orElse(0);
        List<String> eligible = eligible(in.me(), in.cluster(), voters, in.replication());
        List<String> wanted = quorumMode ? eligible : eligible.stream().limit(Math.max(1, in.count())).toList();

        boolean noStandby = wanted.isEmpty();
        StandbyNames targetGuc;
        List<String> targetVoters;
        int targetQuorum;
        if (noStandby && in.strict()) {
            targetGuc = in.guc().isEmpty() ? placeholder(quorumMode) : in.guc();
            targetVoters = voters; // the last confirmed standbys stay the only ones allowed to take over
            targetQuorum = quorum;
        } else if (noStandby) {
            targetGuc = StandbyNames.NONE;
            targetVoters = List.of();
            targetQuorum = 0;
        } else {
            targetGuc = quorumMode ? StandbyNames.any(Math.min(Math.max(1, in.count()), wanted.size()), wanted) : StandbyNames.first(wanted);
            targetVoters = wanted;
            targetQuorum = SyncQuorum.minimum(wanted, targetGuc).orElseThrow();
        }

        boolean reject = noStandby && in.strict() && in.rejectWrites();
        if (reject != in.writesRejected()) {
            // Before anything else: rejecting must start before commits could wait, and ending it is
            // safe whenever it is not wanted (the GUC still makes commits wait until a standby confirms).
            return new RejectWrites(reject, reject ? "strict: no eligible standby" : "a synchronous standby is eligible");
        }
        if (!in.guc().equals(targetGuc)) {
            String why = noStandby ? (in.strict() ? "strict: no eligible standby, commits wait" : "no eligible standby, commits run unprotected")
                    : "eligible streaming standbys " + wanted;
            if (SyncQuorum.safe(voters, quorum, targetGuc)) {
                return new SetStandbyNames(targetGuc, why);
            }
            if (quorumMode && in.gucConfirmed()) {
                // Widen the key first so it covers commits under the GUC now and under the next one.
                List<String> union = union(voters, wanted);
                var now = SyncQuorum.minimum(union, in.guc());
                var next = SyncQuorum.minimum(union, targetGuc);
                if (now.isPresent() && next.isPresent() && Math.max(now.getAsInt(), next.getAsInt()) < union.size()) {
                    int q = Math.max(now.getAsInt(), next.getAsInt());
                    if (!union.equals(voters) || q != quorum) {
                        return new WriteSyncKey(union, Optional.of(q), "voters widened before synchronous_standby_names changes");
                    }
                }
            }
            return new WriteSyncKey(List.of(), quorumMode ? Optional.of(0) : Optional.empty(),
                    "no voter until synchronous_standby_names is changed and confirmed (was " + voters + ")");
        }
        if (!voters.equals(targetVoters) || quorum != targetQuorum) {
            if (in.gucConfirmed() || targetVoters.isEmpty()) {
                return new WriteSyncKey(targetVoters, quorumMode ? Optional.of(targetQuorum) : Optional.empty(),
                        targetVoters.isEmpty() ? "no synchronous standby" : "confirmed by PostgreSQL");
            }
            return new AwaitConfirmation(in.guc());
        }
        return new Steady();
    }

    private static StandbyNames placeholder(boolean quorumMode) {
        return quorumMode ? StandbyNames.any(1, List.of(PLACEHOLDER)) : StandbyNames.first(List.of(PLACEHOLDER));
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return List.copyOf(u);
    }

    /** Streaming members without nosync, by sync_priority, then those already voters, then name. */
    static List<String> eligible(String me, Cluster cluster, List<String> current, List<ReplicationPeer> replication) {
        Set<String> streaming = new LinkedHashSet<>();
        for (ReplicationPeer r : replication) {
            if ("streaming".equals(r.state())) {
                streaming.add(r.applicationName());
            }
        }
        List<Member> eligible = new ArrayList<>();
        for (Member m : cluster.members().values()) {
            if (!m.name().equals(me) && streaming.contains(m.name()) && !m.data().tagIsTrue("nosync") && priority(m) > 0) {
                eligible.add(m);
            }
        }
        eligible.sort(Comparator.comparingInt((Member m) -> -priority(m))
                .thenComparing(m -> current.contains(m.name()) ? 0 : 1)
                .thenComparing(Member::name));
        return eligible.stream().map(Member::name).toList();
    }

    private static int priority(Member m) {
        Object p = m.data().tags().get("sync_priority");
        return p instanceof Number n ? n.intValue() : 1;
    }
}
