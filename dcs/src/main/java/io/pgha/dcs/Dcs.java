package io.pgha.dcs;

import io.pgha.dcs.model.Cluster;

import java.util.function.Consumer;

/**
 * The one DCS contract every pgha component uses: the HA daemon, the CLI, the VIP manager and the
 * HAProxy bridge. Every call either answers within the backend's retry timeout or throws a
 * {@link DcsException}; none hangs. Calls block, so they never run on an event-loop thread.
 */
public interface Dcs extends AutoCloseable {

    KeyLayout layout();

    /** One snapshot of every key of the cluster. */
    Cluster read(Consistency consistency);

    /** Conditional write of a permanent key; a lost race is {@link CasResult.Conflict}, not an exception. */
    CasResult write(ClusterKey key, String value, Expect expect);

    /** Conditional delete of a permanent key; {@link CasResult.Written} carries the delete's revision. */
    CasResult delete(ClusterKey key, Expect expect);

    /** Deletes a member key regardless of its lease (an operator removing a dead member). */
    boolean deleteMember(String member);

    /**
     * Watches the cluster prefix, delivering every change after {@code afterRevision} in order. The
     * watch survives broken streams and endpoint failures by resuming from the last revision it
     * delivered.
     */
    ClusterWatch watch(long afterRevision, Consumer<ClusterEvent> listener);

    /** Grants this member a lease of {@code ttlSeconds} and returns the session bound to it. */
    MemberSession openSession(String member, long ttlSeconds);

    /** Deletes every key of the cluster (pgha remove). */
    void wipe();

    @Override
    void close();
}
