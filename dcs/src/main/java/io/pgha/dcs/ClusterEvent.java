package io.pgha.dcs;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;

/**
 * Changes under the cluster prefix, delivered in revision order on one thread. A consumer that
 * keeps its own view applies them in order; {@link Resynced} replaces that view wholesale.
 */
public sealed interface ClusterEvent {
    long revision();

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
