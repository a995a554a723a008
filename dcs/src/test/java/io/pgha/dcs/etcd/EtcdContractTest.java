package io.pgha.dcs.etcd;

import io.etcd.jetcd.options.LeaseOption;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Expect;
import io.pgha.dcs.Lease;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.Await;
import io.pgha.launch.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DCS contract on a real three-member etcd cluster that stays healthy throughout. */
class EtcdContractTest {
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

    private static MemberData member(String name, String role) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running", role,
                "test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), false, false, Map.of());
    }

    @Test
    void twoClientsRaceForTheLeaderKeyAndExactlyOneWinsEveryRound() throws Exception {
        EtcdDcs a = clients.client(RETRY);
        EtcdDcs b = clients.client(RETRY);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MemberSession sa = a.openSession("node-a", 10); MemberSession sb = b.openSession("node-b", 10)) {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Boolean> raceA = () -> {
                    start.await();
                    return sa.acquireLeader();
                };
                Callable<Boolean> raceB = () -> {
                    start.await();
                    return sb.acquireLeader();
                };
                Future<Boolean> wonA = pool.submit(raceA);
                Future<Boolean> wonB = pool.submit(raceB);
                boolean ra = wonA.get(10, TimeUnit.SECONDS);
                boolean rb = wonB.get(10, TimeUnit.SECONDS);
                assertThat(ra ^ rb).as("exactly one winner in round %d (a=%s b=%s)", round, ra, rb).isTrue();

                MemberSession winner = ra ? sa : sb;
                Cluster view = a.read(Consistency.LINEARIZABLE);
                assertThat(view.leaderName()).contains(winner.member());
                assertThat(view.leader().orElseThrow().lease()).isEqualTo(winner.lease().id());
                assertThat(winner.releaseLeader()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeaseThatIsNotRenewedTakesLeaderAndMemberKeysAwayAndTheWatcherSeesItWithinTtlPlusOneSecond() {
        EtcdDcs holder = clients.client(RETRY);
        EtcdDcs observer = clients.client(RETRY);
        BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
        MemberSession session = holder.openSession("node-a", 2);
        session.publish(member("node-a", "primary"));
        assertThat(session.acquireLeader()).isTrue();
        long revision = observer.read(Consistency.LINEARIZABLE).revision();
        try (ClusterWatch watch = observer.watch(revision, events::add)) {
            Lease last = session.renew().lease();
            long renewedAt = System.nanoTime();
            // Stop renewing: the holder is "dead" from here on.
            Duration bound = last.ttl().plusSeconds(1);
            ClusterEvent deleted = Await.value("LeaderDeleted event", bound.plusSeconds(2), () -> {
                ClusterEvent e = events.poll();
                return e instanceof ClusterEvent.LeaderDeleted ? Optional.of(e) : Optional.empty();
            });
            Duration seen = Duration.ofNanos(System.nanoTime() - renewedAt);
            assertThat(((ClusterEvent.LeaderDeleted) deleted).previousLeader()).isEqualTo("node-a");
            assertThat(seen).as("leader key deletion seen after last renewal").isLessThanOrEqualTo(bound);
            Cluster after = observer.read(Consistency.LINEARIZABLE);
            assertThat(after.hasLeader()).isFalse();
            assertThat(after.members()).doesNotContainKey("node-a");
        }
    }

    @Test
    void renewReportsTheNewDeadlineOnTheMonotonicClockFromWhenTheRequestWasSent() {
        EtcdDcs dcs = clients.client(RETRY);
        try (MemberSession session = dcs.openSession("node-a", 5)) {
            long before = System.nanoTime();
            Renewal renewal = session.renew();
            long after = System.nanoTime();
            assertThat(renewal).isInstanceOf(Renewal.Renewed.class);
            Lease lease = renewal.lease();
            assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(lease.deadlineNanos()).isBetween(before + lease.ttl().toNanos(), after + lease.ttl().toNanos());
        }
    }

    @Test
    void aTtlBelowEtcdsMinimumIsReadBackAsGranted() {
        EtcdDcs dcs = clients.client(RETRY);
        try (MemberSession session = dcs.openSession("node-a", 1)) {
            // etcd raises TTLs below 1.5 × election timeout (1 s here) to 2 s without saying so.
            assertThat(session.lease().ttl()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void renewingAnExpiredLeaseSaysSoAndGrantsAFreshOne() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession session = dcs.openSession("node-a", 2);
        assertThat(session.acquireLeader()).isTrue();
        long expiredId = session.lease().id();
        Await.until("leader key gone with the lease", Duration.ofSeconds(6),
                () -> !dcs.read(Consistency.LINEARIZABLE).hasLeader());
        AtomicLong leaseWhenTold = new AtomicLong();
        Renewal renewal = session.renew(() -> leaseWhenTold.set(session.lease().id()));
        assertThat(renewal).isInstanceOf(Renewal.Expired.class);
        assertThat(((Renewal.Expired) renewal).expiredId()).isEqualTo(expiredId);
        assertThat(leaseWhenTold.get()).as("told before a fresh lease was granted (a primary fences on it)").isEqualTo(expiredId);
        assertThat(renewal.lease().id()).isNotEqualTo(expiredId);
        assertThat(session.acquireLeader()).as("the fresh lease can lead again").isTrue();
        session.close();
    }

    @Test
    void closingASessionWhoseLeaseAlreadyExpiredReturnsAtOnceInsteadOfRetrying() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession session = dcs.openSession("node-a", 2);
        Await.until("lease expired", Duration.ofSeconds(6), () -> {
            try {
                return dcs.endpoints().client(0).getLeaseClient().timeToLive(session.lease().id(),
                        LeaseOption.DEFAULT).get(2, TimeUnit.SECONDS).getTTL() < 0;
            } catch (Exception e) {
                return false;
            }
        });
        long start = System.nanoTime();
        session.close();
        // "lease not found" is etcd's definitive answer, not an endpoint failure to retry.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void releaseDeletesOnlyTheHoldersKeyAndTakeLeaderOverwrites() {
        EtcdDcs dcs = clients.client(RETRY);
        try (MemberSession a = dcs.openSession("node-a", 10); MemberSession b = dcs.openSession("node-b", 10)) {
            assertThat(a.acquireLeader()).isTrue();
            assertThat(b.acquireLeader()).isFalse();
            assertThat(b.releaseLeader()).as("b cannot delete a's key").isFalse();
            assertThat(dcs.read(Consistency.LINEARIZABLE).leaderName()).contains("node-a");

            b.takeLeader();
            Cluster view = dcs.read(Consistency.LINEARIZABLE);
            assertThat(view.leaderName()).contains("node-b");
            assertThat(view.leader().orElseThrow().lease()).isEqualTo(b.lease().id());
            assertThat(a.releaseLeader()).isFalse();
            assertThat(b.releaseLeader()).isTrue();
            assertThat(dcs.read(Consistency.LINEARIZABLE).hasLeader()).isFalse();
            assertThat(b.releaseLeader()).as("releasing an absent key leaves nothing of ours").isTrue();
        }
    }

    @Test
    void aRestartedMemberTakesOverTheKeyItsEarlierLeaseStillHolds() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession earlier = dcs.openSession("node-a", 30);
        try (MemberSession later = dcs.openSession("node-a", 30); MemberSession other = dcs.openSession("node-b", 30)) {
            assertThat(earlier.acquireLeader()).isTrue();
            long seen = dcs.read(Consistency.LINEARIZABLE).leader().orElseThrow().version();

            assertThat(other.takeOverLeader(seen)).as("a key naming someone else is not taken over").isFalse();
            assertThat(later.takeOverLeader(seen - 1)).as("a key changed since it was seen is not taken over").isFalse();
            assertThat(dcs.read(Consistency.LINEARIZABLE).leader().orElseThrow().lease()).isEqualTo(earlier.lease().id());

            assertThat(later.takeOverLeader(seen)).isTrue();
            Cluster view = dcs.read(Consistency.LINEARIZABLE);
            assertThat(view.leaderName()).contains("node-a");
            assertThat(view.leader().orElseThrow().lease()).isEqualTo(later.lease().id());

            earlier.close(); // the earlier run's lease going no longer takes the key with it
            assertThat(dcs.read(Consistency.LINEARIZABLE).leaderName()).contains("node-a");
            assertThat(later.takeOverLeader(seen)).as("a retry after success finds the key on its lease").isTrue();
        } finally {
            earlier.close();
        }
    }

    @Test
    void aWriteBoundToALeaseTheDcsNoLongerHasSaysTheLeaseIsGone() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession a = dcs.openSession("node-a", 30);
        a.close(); // revoked on etcd, as etcd's own lease revocation does it to a live lease too
        assertThatThrownBy(() -> a.publish(member("node-a", "primary"))).isInstanceOf(LeaseGoneException.class)
                .hasMessageContaining("lease not found");
        assertThatThrownBy(a::acquireLeader).isInstanceOf(LeaseGoneException.class);
    }

    @Test
    void closingTheSessionRevokesTheLeaseAndItsKeysAtOnce() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession a = dcs.openSession("node-a", 30);
        a.publish(member("node-a", "primary"));
        assertThat(a.acquireLeader()).isTrue();
        a.close();
        Cluster view = dcs.read(Consistency.LINEARIZABLE);
        assertThat(view.hasLeader()).isFalse();
        assertThat(view.members()).isEmpty();
    }

    @Test
    void compareAndSwapConflictsAreReportedAsConflicts() {
        EtcdDcs dcs = clients.client(RETRY);
        CasResult first = dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.absent());
        assertThat(first).isInstanceOf(CasResult.Written.class);
        long v1 = ((CasResult.Written) first).version();

        assertThat(dcs.write(ClusterKey.CONFIG, "{\"ttl\":20}", Expect.absent())).isEqualTo(new CasResult.Conflict(v1));
        CasResult second = dcs.write(ClusterKey.CONFIG, "{\"ttl\":20}", Expect.version(v1));
        assertThat(second.written()).isTrue();
        long v2 = ((CasResult.Written) second).version();
        assertThat(dcs.write(ClusterKey.CONFIG, "{\"ttl\":10}", Expect.version(v1))).isEqualTo(new CasResult.Conflict(v2));
        assertThat(dcs.read(Consistency.LINEARIZABLE).config().orElseThrow().value()).isEqualTo("{\"ttl\":20}");
        assertThat(dcs.read(Consistency.LINEARIZABLE).config().orElseThrow().version()).isEqualTo(v2);

        assertThat(dcs.delete(ClusterKey.CONFIG, Expect.version(v1))).isEqualTo(new CasResult.Conflict(v2));
        assertThat(dcs.delete(ClusterKey.CONFIG, Expect.version(v2)).written()).isTrue();
        assertThat(dcs.read(Consistency.LINEARIZABLE).config()).isEmpty();
        assertThat(dcs.write(ClusterKey.FAILOVER, "{}", Expect.version(v2))).isEqualTo(new CasResult.Conflict(0));
    }

    @Test
    void theInitializeRaceIsCreateOnlyAndHasOneWinner() throws Exception {
        List<EtcdDcs> racers = List.of(clients.client(RETRY), clients.client(RETRY), clients.client(RETRY));
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            CyclicBarrier start = new CyclicBarrier(racers.size());
            List<Future<CasResult>> results = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                EtcdDcs dcs = racers.get(i);
                String value = "sysid-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return dcs.write(ClusterKey.INITIALIZE, value, Expect.absent());
                }));
            }
            long winners = 0;
            for (Future<CasResult> r : results) {
                winners += r.get(10, TimeUnit.SECONDS).written() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(racers.get(0).read(Consistency.LINEARIZABLE).initialize().orElseThrow().value()).startsWith("sysid-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWatchDeliversTypedEventsInRevisionOrder() {
        EtcdDcs dcs = clients.client(RETRY);
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        long start = dcs.read(Consistency.LINEARIZABLE).revision();
        try (ClusterWatch watch = dcs.watch(start, events::add); MemberSession s = dcs.openSession("node-a", 10)) {
            s.publish(member("node-a", "replica"));
            s.publish(member("node-a", "replica")); // unchanged: not written again
            s.acquireLeader();
            dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
            dcs.write(ClusterKey.STATUS, "{\"optime\":1}", Expect.anything());
            s.releaseLeader();
            Await.until("6 events", Duration.ofSeconds(10), () -> events.size() >= 5);
            assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                    "MemberChanged", "LeaderChanged", "ConfigChanged", "KeyChanged", "LeaderDeleted");
            assertThat(events).extracting(ClusterEvent::revision).isSorted();
            assertThat(events.get(1)).isEqualTo(new ClusterEvent.LeaderChanged("node-a", events.get(1).revision()));
            assertThat(events.get(4)).isEqualTo(new ClusterEvent.LeaderDeleted("node-a", events.get(4).revision()));
            assertThat(watch.lastRevision()).isEqualTo(events.get(4).revision());
        }
    }

    @Test
    void aWatchFromACompactedRevisionResyncsFromASnapshot() throws Exception {
        EtcdDcs dcs = clients.client(RETRY);
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
        long old = dcs.read(Consistency.LINEARIZABLE).revision();
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":20}", Expect.anything());
        long now = dcs.read(Consistency.LINEARIZABLE).revision();
        dcs.endpoints().client(0).getKVClient().compact(now).get(5, TimeUnit.SECONDS);

        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        try (ClusterWatch watch = dcs.watch(old - 1, events::add)) {
            ClusterEvent.Resynced resynced = (ClusterEvent.Resynced) Await.value("resync", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> e instanceof ClusterEvent.Resynced).findFirst());
            assertThat(resynced.snapshot().config().orElseThrow().value()).isEqualTo("{\"ttl\":20}");
            dcs.write(ClusterKey.CONFIG, "{\"ttl\":10}", Expect.anything());
            Await.until("config change after resync", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.ConfigChanged));
        }
    }

    @Test
    void wipeDeletesTheWholeClusterButNotItsNeighbours() {
        EtcdDcs dcs = clients.client(RETRY);
        EtcdTestClients other = new EtcdTestClients(etcd);
        try (other) {
            EtcdDcs neighbour = other.client(RETRY);
            dcs.write(ClusterKey.CONFIG, "{}", Expect.anything());
            dcs.write(ClusterKey.INITIALIZE, "123", Expect.anything());
            neighbour.write(ClusterKey.CONFIG, "{}", Expect.anything());
            dcs.wipe();
            assertThat(dcs.read(Consistency.LINEARIZABLE).config()).isEmpty();
            assertThat(dcs.read(Consistency.LINEARIZABLE).initialize()).isEmpty();
            assertThat(neighbour.read(Consistency.LINEARIZABLE).config()).isPresent();
        }
    }
}
