package io.pgha.ha;

import java.util.Collection;
import java.util.OptionalInt;

/**
 * The arithmetic that keeps a synchronous failover lossless. A commit returns once {@code k} of the
 * GUC's names have it; a member the sync key names may be promoted once {@code q} other members
 * the key names told it they are at or behind it. Every commit quorum must meet every promotion
 * quorum: then some member the candidate heard from has the commit, and the candidate has at least
 * as much. With the GUC's names S, the key's voters V and {@code m = k − |S \ V|} (the acknowledgers
 * a commit must have among the voters, at worst), that holds exactly when {@code m ≥ 1} and
 * {@code q ≥ |V| − m}. An empty voter list means only the leader itself may be promoted, which is
 * always safe.
 */
public final class SyncQuorum {
    private SyncQuorum() {
    }

    /** The smallest {@code q} that makes the key safe for commits under {@code guc}; empty if none does. */
    public static OptionalInt minimum(Collection<String> voters, StandbyNames guc) {
        if (voters.isEmpty()) {
            return OptionalInt.of(0);
        }
        long outside = guc.names().stream().filter(n -> !voters.contains(n)).count();
        long m = guc.count() - outside;
        if (m < 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(0, voters.size() - m));
    }

    /** Whether a sync key naming {@code voters} with {@code quorum} protects every commit made under {@code guc}. */
    public static boolean safe(Collection<String> voters, int quorum, StandbyNames guc) {
        OptionalInt min = minimum(voters, guc);
        return min.isPresent() && quorum >= min.getAsInt() && (voters.isEmpty() || quorum < voters.size());
    }
}
