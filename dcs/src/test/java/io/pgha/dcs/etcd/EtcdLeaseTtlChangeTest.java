package io.pgha.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Lease;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.Relet;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ttl changed in the dynamic config reaches the lease: {@link MemberSession#relet} on a real etcd,
 * both ways, with the leader key held, checked against what etcd itself says it granted.
 */
class EtcdLeaseTtlChangeTest {
    private static final Duration RETRY = Duration.ofSeconds(3);
    private static EtcdCluster etcd;
    private EtcdTestClients clients;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void newScope() {
        clients = new EtcdTestClients(etcd);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private static MemberData member(String role) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running", role,
                "test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), false, false, Map.of());
    }

    /** What etcd says it granted the lease, in seconds; -1 once the lease is gone. */
    private static long grantedTtl(EtcdDcs dcs, long leaseId) throws Exception {
        var answer = dcs.endpoints().client(0).getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT).get(5, TimeUnit.SECONDS);
        return answer.getTTL() < 0 ? -1 : answer.getGrantedTTL();
    }

    private static KeyValue raw(EtcdDcs dcs, String key) throws Exception {
        List<KeyValue> kvs = dcs.endpoints().client(0).getKVClient().get(ByteSequence.from(key.getBytes())).get(5, TimeUnit.SECONDS).getKvs();
        assertThat(kvs).as(key).hasSize(1);
        return kvs.get(0);
    }

    @Test
    void theLeaderMovesBothKeysToALeaseOfTheNewTtlBothWaysAndTheLeaderKeyIsNeverUnowned() throws Exception {
        EtcdDcs dcs = clients.client(RETRY);
        EtcdDcs observer = clients.client(RETRY);
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        try (MemberSession session = dcs.openSession("node-a", 30)) {
            session.publish(member("primary"));
            assertThat(session.acquireLeader()).isTrue();
            long from = observer.read(Consistency.LINEARIZABLE).revision();
            try (ClusterWatch watch = observer.watch(from, events::add)) {
                for (long ttl : new long[] {10, 30}) {
                    Lease before = session.lease();
                    AtomicReference<Long> leaderLeaseWhenTold = new AtomicReference<>();
                    Relet relet = session.relet(ttl, fresh -> {
                        try {
                            leaderLeaseWhenTold.set(raw(dcs, dcs.layout().leader()).getLease());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });

                    assertThat(relet).isInstanceOf(Relet.Moved.class);
                    Relet.Moved moved = (Relet.Moved) relet;
                    assertThat(moved.leaderKeyMoved()).isTrue();
                    assertThat(moved.previous().id()).isEqualTo(before.id());
                    assertThat(leaderLeaseWhenTold.get()).as("told of the new lease before the leader key moved").isEqualTo(before.id());
                    long now = session.lease().id();
                    assertThat(session.lease().ttl()).isEqualTo(Duration.ofSeconds(ttl));
                    assertThat(session.requestedTtl()).isEqualTo(Duration.ofSeconds(ttl));
                    assertThat(grantedTtl(dcs, now)).as("etcd's granted TTL of the new lease").isEqualTo(ttl);
                    assertThat(grantedTtl(dcs, before.id())).as("the old lease is revoked").isEqualTo(-1);
                    assertThat(raw(dcs, dcs.layout().leader()).getLease()).isEqualTo(now);
                    assertThat(raw(dcs, dcs.layout().member("node-a")).getLease()).isEqualTo(now);
                    Cluster view = observer.read(Consistency.LINEARIZABLE);
                    assertThat(view.leaderName()).contains("node-a");
                    assertThat(view.members()).containsKey("node-a");
                    assertThat(session.renew()).isInstanceOf(Renewal.Renewed.class);
                    assertThat(session.lease().id()).isEqualTo(now);
                }
                long to = observer.read(Consistency.LINEARIZABLE).revision();
                io.pgha.launch.Await.until("watch caught up", Duration.ofSeconds(5),
                        () -> !events.isEmpty() && events.get(events.size() - 1).revision() >= to);
            }
            // Every revision in between had the leader key naming node-a: never deleted, never someone else.
            assertThat(events).noneMatch(e -> e instanceof ClusterEvent.LeaderDeleted || e instanceof ClusterEvent.MemberDeleted
                    || e instanceof ClusterEvent.Resynced);
            assertThat(events).filteredOn(e -> e instanceof ClusterEvent.LeaderChanged)
                    .hasSize(2).allMatch(e -> ((ClusterEvent.LeaderChanged) e).leader().equals("node-a"));
        }
    }

    /**
     * etcd stops answering between the grant and the move (every member frozen): the move may still
     * be applied once they thaw, or not. Meanwhile the session fences by the earlier of both leases;
     * the next renewal finds where the keys are and keeps exactly that lease.
     */
    @Test
    void aMoveThatGetsNoAnswerIsSettledByTheNextRenewalOnTheLeaseThatCarriesTheKeys() throws Exception {
        EtcdDcs dcs = clients.client(RETRY);
        EtcdDcs observer = clients.client(RETRY);
        try (MemberSession session = dcs.openSession("node-a", 30)) {
            session.publish(member("primary"));
            assertThat(session.acquireLeader()).isTrue();
            Lease old = session.lease();
            AtomicReference<Lease> granted = new AtomicReference<>();
            try {
                session.relet(10, fresh -> {
                    granted.set(fresh);
                    for (int i = 0; i < etcd.size(); i++) {
                        etcd.freezeMember(i);
                    }
                });
                throw new AssertionError("the move was answered although etcd was frozen");
            } catch (io.pgha.dcs.DcsUnavailableException expected) {
                assertThat(session.lease().deadlineNanos()).as("fenced by the earlier of both leases")
                        .isEqualTo(Math.min(old.deadlineNanos(), granted.get().deadlineNanos()));
            } finally {
                for (int i = 0; i < etcd.size(); i++) {
                    etcd.thawMember(i);
                }
            }
            io.pgha.launch.Await.until("a renewal after the thaw", Duration.ofSeconds(20), () -> {
                try {
                    return session.renew() instanceof Renewal.Renewed;
                } catch (io.pgha.dcs.DcsException e) {
                    return false;
                }
            });
            long kept = session.lease().id();
            assertThat(kept).isIn(old.id(), granted.get().id());
            long other = kept == old.id() ? granted.get().id() : old.id();
            assertThat(grantedTtl(observer, other)).as("the other lease is revoked").isEqualTo(-1);
            assertThat(raw(observer, observer.layout().leader()).getLease()).isEqualTo(kept);
            assertThat(raw(observer, observer.layout().member("node-a")).getLease()).isEqualTo(kept);
            assertThat(session.requestedTtl()).isEqualTo(Duration.ofSeconds(kept == old.id() ? 30 : 10));
            System.out.println("unanswered move settled on the " + (kept == old.id() ? "old" : "new") + " lease");
        }
    }

    @Test
    void aReplicaMovesOnlyItsMemberKeyAndLeavesTheLeaderKeyAlone() throws Exception {
        EtcdDcs dcs = clients.client(RETRY);
        try (MemberSession leader = dcs.openSession("node-a", 30); MemberSession replica = dcs.openSession("node-b", 30)) {
            leader.publish(member("primary"));
            assertThat(leader.acquireLeader()).isTrue();
            replica.publish(member("replica"));
            long leaderKeyRevision = raw(dcs, dcs.layout().leader()).getModRevision();
            long old = replica.lease().id();

            Relet relet = replica.relet(10, fresh -> { });

            assertThat(relet).isInstanceOf(Relet.Moved.class);
            assertThat(((Relet.Moved) relet).leaderKeyMoved()).isFalse();
            assertThat(grantedTtl(dcs, replica.lease().id())).isEqualTo(10);
            assertThat(grantedTtl(dcs, old)).isEqualTo(-1);
            assertThat(raw(dcs, dcs.layout().member("node-b")).getLease()).isEqualTo(replica.lease().id());
            KeyValue leaderKey = raw(dcs, dcs.layout().leader());
            assertThat(leaderKey.getModRevision()).as("leader key untouched").isEqualTo(leaderKeyRevision);
            assertThat(leaderKey.getLease()).isEqualTo(leader.lease().id());
            assertThat(dcs.read(Consistency.LINEARIZABLE).member("node-b").orElseThrow().data().role()).isEqualTo("replica");
        }
    }

    @Test
    void aMemberThatHasNotPublishedYetJustTakesTheNewLease() throws Exception {
        EtcdDcs dcs = clients.client(RETRY);
        try (MemberSession session = dcs.openSession("node-a", 30)) {
            long old = session.lease().id();
            assertThat(session.relet(10, fresh -> { })).isInstanceOf(Relet.Moved.class);
            assertThat(grantedTtl(dcs, session.lease().id())).isEqualTo(10);
            assertThat(grantedTtl(dcs, old)).isEqualTo(-1);
            session.publish(member("replica"));
            assertThat(raw(dcs, dcs.layout().member("node-a")).getLease()).isEqualTo(session.lease().id());
        }
    }
}
