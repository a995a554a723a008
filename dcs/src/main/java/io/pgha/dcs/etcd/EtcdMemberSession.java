package io.pgha.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.pgha.dcs.Lease;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Relet;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.RenewedRead;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.MemberData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One etcd lease per node, as in Patroni: the member key and the leader key are both bound to it,
 * so a node that stops renewing disappears from the cluster as one piece.
 */
final class EtcdMemberSession implements MemberSession {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdMemberSession.class);

    private final EtcdDcs dcs;
    private final String member;
    private volatile long requestedTtl;
    private final MonotonicClock clock;
    private volatile Lease lease;
    /**
     * A lease granted for a {@link #relet} whose move did not answer: the keys are on it or on
     * {@link #lease}, nobody knows which until {@link #settle} reads them. Null when settled.
     */
    private Unsettled unsettled;
    /** Member and raft term of the last request that needed a quorum (grant or linearizable read). */
    private RaftStamp lastQuorum;
    private String lastPublished;
    private long lastPublishedLease;

    private EtcdMemberSession(EtcdDcs dcs, String member, long requestedTtl, MonotonicClock clock) {
        this.dcs = dcs;
        this.member = member;
        this.requestedTtl = requestedTtl;
        this.clock = clock;
    }

    private record Unsettled(Lease lease, long requestedTtl) {
    }

    static EtcdMemberSession open(EtcdDcs dcs, String member, long ttlSeconds, MonotonicClock clock) {
        dcs.layout().member(member); // validates the name
        checkTtl(ttlSeconds);
        EtcdMemberSession session = new EtcdMemberSession(dcs, member, ttlSeconds, clock);
        session.lease = session.grant(ttlSeconds);
        return session;
    }

    private static void checkTtl(long ttlSeconds) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 second, got " + ttlSeconds);
        }
    }

    private Lease grant(long ttlSeconds) {
        AtomicLong sent = new AtomicLong();
        var response = dcs.endpoints().call("grant lease for " + member, c -> {
            sent.set(clock.nanos());
            return c.getLeaseClient().grant(ttlSeconds);
        });
        lastQuorum = RaftStamp.of(response.getHeader()); // a grant goes through raft
        // etcd silently raises a TTL below its minimum (1.5 × election timeout); keep what it granted.
        Duration ttl = Duration.ofSeconds(response.getTTL());
        return new Lease(response.getID(), ttl, sent.get() + ttl.toNanos());
    }

    @Override
    public String member() {
        return member;
    }

    @Override
    public Lease lease() {
        return lease;
    }

    @Override
    public Duration requestedTtl() {
        return Duration.ofSeconds(requestedTtl);
    }

    @Override
    public synchronized Relet relet(long ttlSeconds, Consumer<Lease> beforeMoving) {
        checkTtl(ttlSeconds);
        settle();
        Lease old = lease;
        ByteSequence leaderKey = Bytes.of(dcs.layout().leader());
        ByteSequence memberKey = Bytes.of(dcs.layout().member(member));
        // Only this session binds our name to our lease, and it is locked: what this read finds
        // under our lease stays there until the move below, unless the key is deleted or expires.
        Optional<KeyValue> ours = dcs.endpoints().call("read leader key before moving to a new lease",
                        c -> c.getKVClient().get(leaderKey, GetOption.builder().withSerializable(false).build()))
                .getKvs().stream().filter(kv -> Bytes.text(kv.getValue()).equals(member) && kv.getLease() == old.id()).findFirst();
        Lease fresh = grant(ttlSeconds);
        beforeMoving.accept(fresh);
        List<Op> moves = new ArrayList<>();
        ours.ifPresent(kv -> moves.add(Op.put(leaderKey, Bytes.of(member), PutOption.builder().withLeaseId(fresh.id()).build())));
        String published = lastPublished;
        if (published != null) {
            moves.add(Op.put(memberKey, Bytes.of(published), PutOption.builder().withLeaseId(fresh.id()).build()));
        }
        // The leader key moves only if it is still the version read above: then it never leaves our
        // name, and is on one lease at every revision.
        Cmp[] unchanged = ours.map(kv -> new Cmp[] {new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision()))})
                .orElse(new Cmp[0]);
        TxnResponse response;
        try {
            response = moves.isEmpty() ? null : dcs.endpoints().call("move keys to lease " + Long.toHexString(fresh.id()),
                    c -> c.getKVClient().txn().If(unchanged).Then(moves.toArray(Op[]::new)).Else(Op.get(leaderKey, GetOption.DEFAULT)).commit());
        } catch (DcsRejectedException e) {
            revoke(fresh.id(), "unused lease");  // refused: nothing moved
            throw e;
        } catch (DcsException e) {
            // Maybe applied, maybe not: fence by whichever lease runs out first until a read tells.
            unsettled = new Unsettled(fresh, ttlSeconds);
            lease = new Lease(old.id(), old.ttl(), Math.min(old.deadlineNanos(), fresh.deadlineNanos()));
            throw e;
        }
        boolean moved = response == null || response.isSucceeded() || response.getGetResponses().stream()
                .flatMap(g -> g.getKvs().stream())
                .anyMatch(kv -> Bytes.text(kv.getValue()).equals(member) && kv.getLease() == fresh.id()); // a retry of a move that went through
        if (!moved) {
            revoke(fresh.id(), "unused lease");
            return new Relet.Kept("the leader key changed while moving it to a new lease");
        }
        adopt(fresh, ttlSeconds);
        revoke(old.id(), "previous lease");
        return new Relet.Moved(old, fresh, ours.isPresent());
    }

    private void adopt(Lease fresh, long ttlSeconds) {
        lease = fresh;
        requestedTtl = ttlSeconds;
        lastPublishedLease = fresh.id();
        unsettled = null;
    }

    /**
     * After a move whose outcome was unknown: the keys went to the new lease in one write or stayed
     * on the old one. Whichever lease carries them is kept, the other revoked.
     */
    private void settle() {
        Unsettled pending = unsettled;
        if (pending == null) {
            return;
        }
        ByteSequence leaderKey = Bytes.of(dcs.layout().leader());
        ByteSequence memberKey = Bytes.of(dcs.layout().member(member));
        TxnResponse response = dcs.endpoints().call("read where the keys of " + member + " are bound", c -> c.getKVClient().txn()
                .Then(Op.get(leaderKey, GetOption.DEFAULT), Op.get(memberKey, GetOption.DEFAULT)).commit());
        boolean movedThere = response.getGetResponses().stream().map(GetResponse::getKvs).flatMap(List::stream)
                .anyMatch(kv -> kv.getLease() == pending.lease().id());
        Lease old = lease;
        if (movedThere) {
            LOG.info("keys of {} found on lease {} after an unanswered move; revoking lease {}", member,
                    Long.toHexString(pending.lease().id()), Long.toHexString(old.id()));
            adopt(pending.lease(), pending.requestedTtl());
            revoke(old.id(), "previous lease");
        } else {
            unsettled = null;
            revoke(pending.lease().id(), "unused lease");
        }
    }

    /** Best effort: a lease left behind holds no key of ours and expires with its TTL. */
    private void revoke(long id, String what) {
        try {
            dcs.endpoints().call("revoke " + what + " " + Long.toHexString(id), c -> c.getLeaseClient().revoke(id)
                    .thenApply(r -> true)
                    .exceptionally(EtcdErrors.whenLeaseNotFound(true)));
        } catch (DcsException e) {
            LOG.warn("could not revoke {} {} of {} ({}); it expires with its TTL", what, Long.toHexString(id), member, e.getMessage());
        }
    }

    @Override
    public synchronized Renewal renew(Runnable whenGone) {
        return renewConfirmedBy(whenGone, this::quorumProbe);
    }

    /** The quorum read that confirms the renewal reads the whole cluster prefix, and is the cycle's read. */
    @Override
    public synchronized RenewedRead renewThenRead(Runnable whenGone, Dcs unused) {
        AtomicReference<GetResponse> read = new AtomicReference<>();
        Renewal renewal = renewConfirmedBy(whenGone, () -> {
            GetResponse response = dcs.readPrefix(Consistency.LINEARIZABLE);
            read.set(response);
            lastQuorum = RaftStamp.of(response.getHeader());
            return lastQuorum;
        });
        // An expired lease is found before any quorum read: the cycle still needs its view.
        Cluster cluster = read.get() == null ? dcs.read(Consistency.LINEARIZABLE) : dcs.toCluster(read.get());
        return new RenewedRead(renewal, cluster);
    }

    private Renewal renewConfirmedBy(Runnable whenGone, Supplier<RaftStamp> probe) {
        settle();
        Lease current = lease;
        for (int attempt = 1; ; attempt++) {
            AtomicLong sent = new AtomicLong();
            var response = dcs.endpoints().call("keepalive lease " + Long.toHexString(current.id()), c -> {
                sent.set(clock.nanos());
                return OneKeepAlive.send(c, current.id());
            });
            if (response.isEmpty() || response.get().getTTL() <= 0) {
                whenGone.run(); // before the grant below: a primary must not write on for one more round trip
                LOG.warn("lease {} of {} had expired in etcd; its leader and member keys are gone; granting a new one",
                        Long.toHexString(current.id()), member);
                lease = grant(requestedTtl);
                lastPublished = null;
                return new Renewal.Expired(current.id(), lease);
            }
            RaftStamp renewedAt = RaftStamp.of(response.get().getHeader());
            RaftStamp before = lastQuorum;
            RaftStamp after = probe.get();
            if (renewedAt.equals(before) && renewedAt.equals(after)) {
                Duration granted = Duration.ofSeconds(response.get().getTTL());
                lease = new Lease(current.id(), granted, sent.get() + granted.toNanos());
                return new Renewal.Renewed(lease);
            }
            if (attempt == 2) {
                throw new DcsUnavailableException("keepalive lease " + Long.toHexString(current.id()) + " answered by member "
                        + Long.toHexString(renewedAt.member()) + " in raft term " + renewedAt.term() + ", but no quorum read confirmed"
                                + " that term around it (before: " + before + ", after: " + after + "); the lease deadline stays where it was", null);
            }
        }
    }

    /**
     * A linearizable read on the member that answers: it succeeds only while that member's leader
     * still has a quorum. A partitioned etcd leader renews leases on its own (renewals do not go
     * through raft) until it steps down, and the majority's new leader never hears of them: the
     * chaos suite saw a primary renew on such a leader and write on after its lease had expired on
     * the majority. A renewal counts only when the member that took it was in the same raft term
     * at a quorum read before it and at one after it: then it reached the one leader of that term
     * while that leader still had a quorum, and any later leader starts the lease afresh.
     */
    private RaftStamp quorumProbe() {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        var response = dcs.endpoints().call("quorum read after keepalive",
                c -> c.getKVClient().get(key, GetOption.builder().withCountOnly(true).withSerializable(false).build()));
        lastQuorum = RaftStamp.of(response.getHeader());
        return lastQuorum;
    }

    @Override
    public synchronized boolean acquireLeader() {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        return putLeaderIf("acquire leader key", new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    }

    /**
     * Puts the leader key, naming this member and bound to its lease, if every condition holds.
     * A retried attempt whose first try had already succeeded finds its own key on its own lease:
     * that is a success too.
     */
    private boolean putLeaderIf(String what, Cmp... conditions) {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        long leaseId = lease.id();
        TxnResponse response = dcs.endpoints().call(what, c -> c.getKVClient().txn()
                .If(conditions)
                .Then(Op.put(key, Bytes.of(member), PutOption.builder().withLeaseId(leaseId).build()))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
        return response.isSucceeded() || response.getGetResponses().stream().flatMap(g -> g.getKvs().stream())
                .anyMatch(kv -> Bytes.text(kv.getValue()).equals(member) && kv.getLease() == leaseId);
    }

    @Override
    public synchronized void takeLeader() {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        long leaseId = lease.id();
        dcs.endpoints().call("take leader key",
                c -> c.getKVClient().put(key, Bytes.of(member), PutOption.builder().withLeaseId(leaseId).build()));
    }

    @Override
    public synchronized boolean takeOverLeader(long seenVersion) {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        return putLeaderIf("take over leader key", new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(Bytes.of(member))),
                new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(seenVersion)));
    }

    @Override
    public synchronized boolean releaseLeader() {
        ByteSequence key = Bytes.of(dcs.layout().leader());
        TxnResponse response = dcs.endpoints().call("release leader key", c -> c.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(Bytes.of(member))))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
        if (response.isSucceeded()) {
            return true;
        }
        // Not ours (someone else leads) → false; already gone → nothing of ours is left, true.
        return response.getGetResponses().stream().mapToLong(g -> g.getKvs().size()).sum() == 0;
    }

    @Override
    public synchronized void publish(MemberData data) {
        String json = data.toJson();
        long leaseId = lease.id();
        if (json.equals(lastPublished) && leaseId == lastPublishedLease) {
            return;
        }
        ByteSequence key = Bytes.of(dcs.layout().member(member));
        dcs.endpoints().call("publish member " + member,
                c -> c.getKVClient().put(key, Bytes.of(json), PutOption.builder().withLeaseId(leaseId).build()));
        lastPublished = json;
        lastPublishedLease = leaseId;
    }

    @Override
    public synchronized void close() {
        if (unsettled != null) {
            revoke(unsettled.lease().id(), "unsettled lease");
        }
        try {
            long id = lease.id();
            dcs.endpoints().call("revoke lease", c -> c.getLeaseClient().revoke(id)
                    .thenApply(r -> true)
                    // Already expired: its keys are gone, which is all revoking is for.
                    .exceptionally(EtcdErrors.whenLeaseNotFound(true)));
        } catch (DcsException e) {
            LOG.warn("could not revoke lease of {} ({}); its keys will expire with the TTL", member, e.getMessage());
        }
    }
}
