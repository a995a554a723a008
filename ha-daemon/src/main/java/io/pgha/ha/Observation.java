package io.pgha.ha;

import io.pgha.dcs.Lease;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Versioned;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one HA cycle decides on. {@code cluster} is empty when the DCS could not be read this
 * cycle; {@code peers} holds the answers of a peer check the previous decision asked for;
 * {@code wallNow} is only for schedules operators give in wall-clock time (leases use
 * {@code nowNanos}); {@code request} is an operator command waiting to be carried out;
 * {@code failsafe} is what this node knows about failsafe mode (see {@link Failsafe});
 * {@code keyUnderLeaseAtLastRead} says whether the last snapshot read showed the leader key bound to
 * this node's current lease: when the DCS is unreachable, only such a lease is a right to write.
 */
public record Observation(
        String me,
        Optional<Cluster> cluster,
        PgState pg,
        Lease lease,
        long nowNanos,
        Instant wallNow,
        Optional<PeerReport> peers,
        Optional<OperatorRequest> request,
        Failsafe failsafe,
        boolean keyUnderLeaseAtLastRead) {

    /** An observation whose lease, if the DCS cannot be read, is taken to carry the leader key. */
    public Observation(String me, Optional<Cluster> cluster, PgState pg, Lease lease, long nowNanos, Instant wallNow,
                       Optional<PeerReport> peers, Optional<OperatorRequest> request, Failsafe failsafe) {
        this(me, cluster, pg, lease, nowNanos, wallNow, peers, request, failsafe, true);
    }

    public Observation withPeers(PeerReport report, long now) {
        return new Observation(me, cluster, pg, lease, now, wallNow, Optional.of(report), request, failsafe, keyUnderLeaseAtLastRead);
    }

    /** The same observation with the answers of the {@code POST /failsafe} round a {@link Decision.CheckFailsafe} asked for. */
    public Observation withFailsafeReport(FailsafeReport report, long now) {
        return new Observation(me, cluster, pg, lease, now, wallNow, peers, request, failsafe.withReport(report), keyUnderLeaseAtLastRead);
    }

    /** The {@code failsafe} key: of this snapshot, or of the last one read while the DCS is unreachable. */
    public Map<String, String> failsafeMembers() {
        return cluster.map(c -> c.failsafe().map(Versioned::value).orElse(Map.of()))
                .orElse(failsafe.lastSeenMembers());
    }

    /** I hold the leader key with my current lease, and the lease has not run out on our clock. */
    public boolean holdsLeaderKey() {
        return cluster.flatMap(Cluster::leader)
                .map(l -> l.name().equals(me) && l.lease() == lease.id())
                .orElse(false);
    }

    public long leaseLeftNanos() {
        return lease.deadlineNanos() - nowNanos;
    }
}
