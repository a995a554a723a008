package io.pgha.dcs;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;

import java.util.Optional;

/**
 * Changes under the cluster prefix, delivered in revision order on one thread. A consumer that
 * keeps its own view applies them in order; {@link Resynced} replaces that view wholesale.
 */
public sealed interface ClusterEvent {
    long revision();

    /**
     * What a change of {@code fullKey} at {@code revision} means, for every backend alike;
     * {@code leaderValue} is the leader key's new value, or on a delete the value it had. Empty for
     * keys outside the cluster or ones we do not model.
     */
    static Optional<ClusterEvent> of(KeyLayout layout, String fullKey, boolean deleted, String leaderValue, long revision) {
        Optional<KeyLayout.KeyRef> ref = layout.classify(fullKey);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        KeyLayout.KeyRef r = ref.get();
        if (r instanceof KeyLayout.KeyRef.LeaderKey) {
            return Optional.of(deleted ? new LeaderDeleted(leaderValue, revision) : new LeaderChanged(leaderValue, revision));
        }
        if (r instanceof KeyLayout.KeyRef.MemberKey m) {
            return Optional.of(deleted ? new MemberDeleted(m.name(), revision) : new MemberChanged(m.name(), revision));
        }
        if (r instanceof KeyLayout.KeyRef.Shared s) {
            if (s.key() == ClusterKey.CONFIG && !deleted) {
                return Optional.of(new ConfigChanged(revision));
            }
            return Optional.of(new KeyChanged(s.key(), deleted, revision));
        }
        return Optional.empty();
    }

    record LeaderChanged(String leader, long revision) implements ClusterEvent {
    }

    /** The leader key was deleted or its lease expired. */
    record LeaderDeleted(String previousLeader, long revision) implements ClusterEvent {
    }

    record MemberChanged(String member, long revision) implements ClusterEvent {
    }

    record MemberDeleted(String member, long revision) implements ClusterEvent {
    }

    record ConfigChanged(long revision) implements ClusterEvent {
    }

    /** {@code status}, {@code sync}, {@code failover}, {@code history}, {@code failsafe}, {@code initialize}. */
    record KeyChanged(ClusterKey key, boolean deleted, long revision) implements ClusterEvent {
    }

    /**
     * The watch broke and could not resume from its revision (compacted away); this snapshot is the
     * new truth and events continue after its revision.
     */
    record Resynced(Cluster snapshot) implements ClusterEvent {
        @Override
        public long revision() {
            return snapshot.revision();
        }
    }

    /** The stream broke; it is being re-established from {@code revision} + 1. No event is lost. */
    record WatchInterrupted(String reason, long revision) implements ClusterEvent {
    }
}
