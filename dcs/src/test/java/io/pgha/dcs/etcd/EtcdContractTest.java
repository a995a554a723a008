package io.pgha.dcs.etcd;

import io.etcd.jetcd.options.LeaseOption;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsContractTest;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.launch.Await;
import io.pgha.launch.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCS contract on a real three-member etcd cluster that stays healthy throughout, plus what
 * only etcd does: raising short TTLs, revisions for every change, compaction.
 */
class EtcdContractTest extends DcsContractTest {
    private static EtcdCluster etcd;
    private EtcdTestClients clients;
    private EtcdTestClients neighbours;

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
        neighbours = new EtcdTestClients(etcd);
    }

    @AfterEach
    void closeClients() {
        clients.close();
        neighbours.close();
    }

    @Override
    protected Dcs client() {
        return clients.client(RETRY);
    }

    @Override
    protected Dcs neighbour() {
        return neighbours.client(RETRY);
    }

    @Override
    protected long ttl(long seconds) {
        return seconds;
    }

    @Override
    protected Duration expiryBound(Duration ttl) {
        return ttl.plusSeconds(1);
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
}
