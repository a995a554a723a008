package io.pgha.dcs;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.Await;
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

/**
 * The DCS contract, one suite for every backend: each subclass supplies clients of one DCS (real
 * etcd, the Consul test double) on a scope of their own per test, and the TTLs and expiry bound
 * that DCS allows.
 */
public abstract class DcsContractTest {
    protected static final Duration RETRY = Duration.ofSeconds(3);

    /** A new client on this test's scope, closed after the test. */
    protected abstract Dcs client();

    /** A client on another scope of the same DCS. */
    protected abstract Dcs neighbour();

    /** The TTL to ask for where the etcd suite asked for {@code seconds}: the DCS's minimum may be higher. */
    protected abstract long ttl(long seconds);

    /** How long after the last renewal the keys of a lease of {@code ttl} must be gone. */
    protected abstract Duration expiryBound(Duration ttl);

    protected static MemberData member(String name, String role) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running", role,
                "test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), false, false, Map.of());
    }

    @Test
    void twoClientsRaceForTheLeaderKeyAndExactlyOneWinsEveryRound() throws Exception {
        Dcs a = client();
        Dcs b = client();
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
        Dcs holder = client();
        Dcs observer = client();
        BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
        MemberSession session = holder.openSession("node-a", ttl(2));
        session.publish(member("node-a", "primary"));
        assertThat(session.acquireLeader()).isTrue();
        long revision = observer.read(Consistency.LINEARIZABLE).revision();
        try (ClusterWatch watch = observer.watch(revision, events::add)) {
            Lease last = session.renew().lease();
            long renewedAt = System.nanoTime();
            // Stop renewing: the holder is "dead" from here on.
            Duration bound = expiryBound(last.ttl());
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
        Dcs dcs = client();
        try (MemberSession session = dcs.openSession("node-a", ttl(5))) {
            long before = System.nanoTime();
            Renewal renewal = session.renew();
            long after = System.nanoTime();
            assertThat(renewal).isInstanceOf(Renewal.Renewed.class);
            Lease lease = renewal.lease();
            assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(ttl(5)));
            assertThat(lease.deadlineNanos()).isBetween(before + lease.ttl().toNanos(), after + lease.ttl().toNanos());
        }
    }

    @Test
    void renewingAnExpiredLeaseSaysSoAndGrantsAFreshOne() {
        Dcs dcs = client();
        MemberSession session = dcs.openSession("node-a", ttl(2));
        assertThat(session.acquireLeader()).isTrue();
        long expiredId = session.lease().id();
        Await.until("leader key gone with the lease", expiryBound(session.lease().ttl()).plusSeconds(3),
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
    void releaseDeletesOnlyTheHoldersKeyAndTakeLeaderOverwrites() {
        Dcs dcs = client();
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
        Dcs dcs = client();
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
        Dcs dcs = client();
        MemberSession a = dcs.openSession("node-a", 30);
        a.close(); // revoked in the DCS, as the DCS's own lease revocation does it to a live lease too
        assertThatThrownBy(() -> a.publish(member("node-a", "primary"))).isInstanceOf(LeaseGoneException.class)
                .hasMessageContaining("lease not found");
        assertThatThrownBy(a::acquireLeader).isInstanceOf(LeaseGoneException.class);
    }

    @Test
    void closingTheSessionRevokesTheLeaseAndItsKeysAtOnce() {
        Dcs dcs = client();
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
        Dcs dcs = client();
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
        List<Dcs> racers = List.of(client(), client(), client());
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            CyclicBarrier start = new CyclicBarrier(racers.size());
            List<Future<CasResult>> results = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                Dcs dcs = racers.get(i);
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
    void wipeDeletesTheWholeClusterButNotItsNeighbours() {
        Dcs dcs = client();
        Dcs neighbour = neighbour();
        dcs.write(ClusterKey.CONFIG, "{}", Expect.anything());
        dcs.write(ClusterKey.INITIALIZE, "123", Expect.anything());
        neighbour.write(ClusterKey.CONFIG, "{}", Expect.anything());
        dcs.wipe();
        assertThat(dcs.read(Consistency.LINEARIZABLE).config()).isEmpty();
        assertThat(dcs.read(Consistency.LINEARIZABLE).initialize()).isEmpty();
        assertThat(neighbour.read(Consistency.LINEARIZABLE).config()).isPresent();
    }

    @Test
    void theWatchDeliversEachChangeTypedAndInOrderWhenChangesComeOneAtATime() {
        Dcs dcs = client();
        BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
        long start = dcs.read(Consistency.LINEARIZABLE).revision();
        try (ClusterWatch watch = dcs.watch(start, events::add); MemberSession s = dcs.openSession("node-a", ttl(10))) {
            List<ClusterEvent> seen = new ArrayList<>();
            s.publish(member("node-a", "replica"));
            seen.add(next(events));
            s.publish(member("node-a", "replica")); // unchanged: not written again
            s.acquireLeader();
            seen.add(next(events));
            dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
            seen.add(next(events));
            dcs.write(ClusterKey.STATUS, "{\"optime\":1}", Expect.anything());
            seen.add(next(events));
            s.releaseLeader();
            seen.add(next(events));
            assertThat(seen).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                    "MemberChanged", "LeaderChanged", "ConfigChanged", "KeyChanged", "LeaderDeleted");
            assertThat(seen).extracting(ClusterEvent::revision).isSorted();
            assertThat(seen.get(1)).isEqualTo(new ClusterEvent.LeaderChanged("node-a", seen.get(1).revision()));
            assertThat(seen.get(4)).isEqualTo(new ClusterEvent.LeaderDeleted("node-a", seen.get(4).revision()));
            assertThat(events).as("nothing delivered twice").isEmpty();
            assertThat(watch.lastRevision()).isEqualTo(seen.get(4).revision());
        }
    }

    private static ClusterEvent next(BlockingQueue<ClusterEvent> events) {
        return Await.value("next watch event", Duration.ofSeconds(10), () -> Optional.ofNullable(events.poll())
                .filter(e -> !(e instanceof ClusterEvent.WatchInterrupted)));
    }
}
