package io.pgha.dcs;

import io.pgha.dcs.model.MemberData;

/**
 * One node's presence in the DCS: a lease (etcd) or session (Consul) to which its member key and,
 * while it leads, the leader key are bound. Losing the lease loses both, which is what lets the
 * others take over from a dead node.
 */
public interface MemberSession extends AutoCloseable {
    String member();

    /** The lease as last confirmed; its TTL is what the DCS granted, which may exceed what was asked. */
    Lease lease();

    /**
     * Keepalive. Throws {@link DcsUnavailableException} when the DCS cannot be reached in time, or
     * cannot confirm that the renewal reached a leader with a quorum; the deadline then stays put.
     * {@code whenGone} runs as soon as the DCS says the lease no longer exists, before a replacement
     * is granted: a primary fences on it without waiting for one more round trip.
     */
    Renewal renew(Runnable whenGone);

    default Renewal renew() {
        return renew(() -> { });
    }

    /** Creates the leader key with this member as value, bound to the lease, only if no leader key exists. */
    boolean acquireLeader();

    /** Writes the leader key unconditionally (the bootstrap winner, which holds {@code initialize}). */
    void takeLeader();

    /**
     * Binds the leader key to this session's lease when it names this member under another lease (an
     * earlier run of this daemon, killed and restarted while its lease lives on) and is still the key
     * seen at mod revision {@code seenVersion}. Nobody else can have led meanwhile: the key existed and
     * named us the whole time. False when it changed or vanished since.
     */
    boolean takeOverLeader(long seenVersion);

    /** Deletes the leader key only if it still names this member. */
    boolean releaseLeader();

    /** Publishes {@code members/<name>} bound to the lease; skipped when nothing changed. */
    void publish(MemberData data);

    /** Revokes the lease: the member key and any leader key it holds vanish at once. */
    @Override
    void close();
}
