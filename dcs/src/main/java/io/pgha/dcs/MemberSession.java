package io.pgha.dcs;

import io.pgha.dcs.model.MemberData;

import java.time.Duration;
import java.util.function.Consumer;

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
     * The TTL the current lease was asked for. The DCS may grant more ({@link #lease()}), so a changed
     * {@code ttl} in the dynamic config is compared with this, not with the granted TTL.
     */
    Duration requestedTtl();

    /**
     * Moves this member onto a new lease of {@code ttlSeconds}: grants it, binds the member key and,
     * when this member holds the leader key on the current lease, the leader key to it in one
     * conditional write, then revokes the old lease. The leader key is never unowned and never on two
     * leases. {@code beforeMoving} hears the new lease after the grant and before any key is bound to
     * it: from the move on the keys expire with the new lease, so a primary must fence by the earlier
     * of both deadlines first. Throws {@link DcsException} when the DCS did not answer; if the move's
     * outcome is then unknown, {@link #lease()} carries the earlier of both deadlines until the next
     * {@link #renew} finds out where the keys are.
     */
    Relet relet(long ttlSeconds, Consumer<Lease> beforeMoving);

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

    /**
     * {@link #renew}, then a linearizable read of the cluster through {@code dcs} (the DCS this
     * session was opened on), as each HA cycle needs both. etcd's session lets that read be the
     * quorum read that confirms its renewal: one request instead of two.
     */
    default RenewedRead renewThenRead(Runnable whenGone, Dcs dcs) {
        Renewal renewal = renew(whenGone);
        return new RenewedRead(renewal, dcs.read(Consistency.LINEARIZABLE));
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
