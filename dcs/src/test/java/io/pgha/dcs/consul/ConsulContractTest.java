package io.pgha.dcs.consul;

import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsContractTest;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.Lease;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.MonotonicClock;
import io.pgha.dcs.Relet;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.Await;
import io.pgha.testing.consul.ConsulDouble;
import io.vertx.core.json.JsonObject;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DCS contract on the Consul backend against {@link ConsulDouble}, a <b>test double</b> of the
 * agent's HTTP API (no Consul binary is available here). The double reaps sessions at exactly
 * their TTL to keep the suite short; one test runs it at Consul's worst case, twice the TTL.
 */
class ConsulContractTest extends DcsContractTest {
    private static ConsulDouble consul;
    private final List<Dcs> open = new ArrayList<>();
    private String scope;

    @BeforeAll
    static void startConsul() {
        consul = ConsulDouble.start();
    }

    @AfterAll
    static void stopConsul() {
        if (consul != null) {
            consul.close();
        }
    }

    @BeforeEach
    void newScope() {
        scope = "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeClients() {
        open.forEach(Dcs::close);
    }

    private ConsulDcs client(ConsulDouble agent, String onScope, Optional<String> token) {
        ConsulDcs dcs = new ConsulDcs(new KeyLayout("/service", onScope), ConsulSettings.plain(agent.hostPort(), token, RETRY));
        open.add(dcs);
        return dcs;
    }

    @Override
    protected Dcs client() {
        return client(consul, scope, Optional.empty());
    }

    @Override
    protected Dcs neighbour() {
        return client(consul, scope + "-n", Optional.empty());
    }

    @Override
    protected long ttl(long seconds) {
        return Math.max(ConsulSettings.MIN_TTL_SECONDS, seconds);
    }

    @Override
    protected Duration expiryBound(Duration ttl) {
        return ttl.plusSeconds(1); // the double reaps at 1 × TTL plus its 100 ms reaper period
    }

    @Test
    void withRegisterServiceTheMemberIsAServiceTaggedWithItsRoleAndCheckedOnItsRestPath() {
        try (ConsulDouble agent = ConsulDouble.start()) {
            ConsulDcs dcs = new ConsulDcs(new KeyLayout("/service", scope), ConsulSettings.plain(agent.hostPort(), Optional.empty(), RETRY)
                    .registering(new ConsulSettings.ServiceRegistration(Duration.ofSeconds(5), List.of("pigsty"))));
            open.add(dcs);
            MemberSession s = dcs.openSession("node-a", 10);
            s.publish(member("node-a", "primary"));
            JsonObject service = agent.services().getJsonObject(scope + "/node-a");
            assertThat(service.getString("Service")).isEqualTo(scope);
            assertThat(service.getJsonArray("Tags").getList()).containsExactly("primary", "pigsty");
            assertThat(service.getString("Address")).isEqualTo("127.0.0.1");
            assertThat(service.getInteger("Port")).isEqualTo(5432);
            assertThat(service.getJsonArray("Checks").getJsonObject(0).getString("HTTP")).isEqualTo("http://127.0.0.1:8008/primary");
            s.publish(member("node-a", "replica"));
            assertThat(agent.services().getJsonObject(scope + "/node-a").getJsonArray("Tags").getList()).containsExactly("replica", "pigsty");
            s.publish(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "stopped", "replica",
                    "test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Map.of(), false, false, Map.of()));
            assertThat(agent.services().containsKey(scope + "/node-a")).as("a stopped member is no service").isFalse();
            s.publish(member("node-a", "replica"));
            s.close();
            assertThat(agent.services().containsKey(scope + "/node-a")).as("withdrawn on leaving").isFalse();
        }
    }

    @Test
    void reletMovesTheLeaderAndMemberKeysToANewSessionInOneTransactionAndDestroysTheOld() {
        Dcs dcs = client();
        try (MemberSession s = dcs.openSession("node-a", 10)) {
            s.publish(member("node-a", "primary"));
            assertThat(s.acquireLeader()).isTrue();
            String old = ((ConsulMemberSession) s).sessionId();
            List<Lease> told = new ArrayList<>();
            Relet r = s.relet(20, told::add);
            assertThat(r).isInstanceOf(Relet.Moved.class);
            Relet.Moved moved = (Relet.Moved) r;
            assertThat(moved.leaderKeyMoved()).isTrue();
            assertThat(told).containsExactly(moved.lease());
            assertThat(moved.lease().ttl()).isEqualTo(Duration.ofSeconds(20));
            assertThat(s.requestedTtl()).isEqualTo(Duration.ofSeconds(20));
            Cluster view = dcs.read(Consistency.LINEARIZABLE);
            assertThat(view.leader().orElseThrow().lease()).isEqualTo(moved.lease().id());
            assertThat(view.member("node-a").orElseThrow().lease()).isEqualTo(moved.lease().id());
            assertThat(consul.session(old)).as("the previous session is destroyed").isEmpty();
            assertThatThrownBy(() -> s.relet(5, l -> { })).isInstanceOf(DcsRejectedException.class);
        }
    }

    @Test
    void aFailingNodeCheckInvalidatesTheSessionAndTheNextRenewalSaysSoBeforeANewSessionIsMade() {
        try (ConsulDouble agent = ConsulDouble.start()) {
            ConsulDcs dcs = client(agent, scope, Optional.empty());
            MemberSession s = dcs.openSession("node-a", 30);
            s.publish(member("node-a", "primary"));
            assertThat(s.acquireLeader()).isTrue();
            long before = s.lease().id();
            agent.setCheckStatus("serfHealth", "critical"); // Consul: a critical check invalidates the sessions bound to it
            assertThat(dcs.read(Consistency.LINEARIZABLE).hasLeader()).as("Behavior delete took the leader key").isFalse();
            assertThatThrownBy(s::renew).as("no new session while the node's check is critical")
                    .isInstanceOf(DcsUnavailableException.class).hasMessageContaining("critical");
            agent.setCheckStatus("serfHealth", "passing");
            List<Long> told = new ArrayList<>();
            Renewal r = s.renew(() -> told.add(s.lease().id()));
            assertThat(r).isInstanceOf(Renewal.Expired.class);
            assertThat(told).containsExactly(before);
            assertThat(r.lease().id()).isNotEqualTo(before);
            s.close();
        }
    }

    @Test
    void aTtlBelowConsulsMinimumIsRefusedByNameAndCreatesNoSession() {
        Dcs dcs = client();
        int before = consul.sessionIds().size();
        assertThatThrownBy(() -> dcs.openSession("node-a", 9)).isInstanceOf(DcsRejectedException.class)
                .hasMessageContaining("ttl 9 s is outside the session TTLs Consul accepts (10 s to 86400 s)");
        assertThat(consul.sessionIds()).hasSize(before);
    }

    @Test
    void theSessionIsCreatedWithDeleteBehaviourNoLockDelayAndTheNodeCheck() {
        Dcs dcs = client();
        try (MemberSession s = dcs.openSession("node-a", 15)) {
            JsonObject info = consul.session(((ConsulMemberSession) s).sessionId()).orElseThrow();
            assertThat(info.getString("Behavior")).isEqualTo("delete");
            assertThat(info.getLong("LockDelay")).isZero();
            assertThat(info.getString("TTL")).isEqualTo("15s");
            assertThat(info.getJsonArray("NodeChecks").getList()).containsExactly("serfHealth");
            assertThat(info.getString("Name")).isEqualTo(scope + "-node-a");
        }
    }

    @Test
    void theLeaseDeadlineIsOursFromWhenTheRenewalWasSentWhileConsulMayKeepTheKeysUpToTwiceTheTtl() {
        try (ConsulDouble late = ConsulDouble.start(Optional.empty(), 2.0)) {
            ConsulDcs dcs = client(late, scope, Optional.empty());
            MemberSession s = dcs.openSession("node-a", 10);
            assertThat(s.acquireLeader()).isTrue();
            long sent = System.nanoTime();
            Lease lease = s.renew().lease();
            assertThat(lease.deadlineNanos()).isLessThanOrEqualTo(System.nanoTime() + Duration.ofSeconds(10).toNanos());
            assertThat(lease.deadlineNanos()).isGreaterThanOrEqualTo(sent + Duration.ofSeconds(10).toNanos());
            Await.until("our deadline passed", Duration.ofSeconds(12), () -> !lease.isValid(MonotonicClock.SYSTEM));
            // Past our deadline the key may still be there: a fence on Consul's view would write on.
            assertThat(dcs.read(Consistency.LINEARIZABLE).leaderName()).contains("node-a");
            s.close();
        }
    }

    @Test
    void aTokenTheAgentRejectsIsARejectionNotAnOutage() {
        try (ConsulDouble guarded = ConsulDouble.start(Optional.of("right"), 1.0)) {
            ConsulDcs wrong = client(guarded, scope, Optional.of("wrong"));
            assertThatThrownBy(() -> wrong.read(Consistency.LINEARIZABLE)).isInstanceOf(DcsRejectedException.class)
                    .hasMessageContaining("refused the ACL token (403 ACL not found)");
            assertThatThrownBy(() -> wrong.write(ClusterKey.CONFIG, "{}", Expect.anything())).isInstanceOf(DcsRejectedException.class);
            ConsulDcs right = client(guarded, scope, Optional.of("right"));
            assertThat(right.read(Consistency.LINEARIZABLE).config()).as("the refused write changed nothing").isEmpty();
            assertThat(right.write(ClusterKey.CONFIG, "{}", Expect.absent()).written()).isTrue();
        }
    }

    @Test
    void aWatchFromARevisionThisClientNeverReadStartsWithASnapshot() {
        Dcs dcs = client();
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
        long unknown = dcs.read(Consistency.LINEARIZABLE).revision() - 1;
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        try (ClusterWatch watch = client().watch(unknown, events::add)) {
            ClusterEvent.Resynced resynced = (ClusterEvent.Resynced) Await.value("resync", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> e instanceof ClusterEvent.Resynced).findFirst());
            assertThat(resynced.snapshot().config().orElseThrow().value()).isEqualTo("{\"ttl\":30}");
            dcs.write(ClusterKey.CONFIG, "{\"ttl\":10}", Expect.anything());
            Await.until("config change after resync", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.ConfigChanged));
        }
    }

    @Test
    void aDeadAgentIsAnOutageAndTheWatchResumesWithoutLosingTheChangesMadeMeanwhile() {
        try (ConsulDouble agent = ConsulDouble.start()) {
            ConsulDcs dcs = client(agent, scope, Optional.empty());
            ConsulDcs writer = client(agent, scope, Optional.empty());
            List<ClusterEvent> events = new CopyOnWriteArrayList<>();
            MemberSession s = dcs.openSession("node-a", 10);
            long start = dcs.read(Consistency.LINEARIZABLE).revision();
            try (ClusterWatch watch = dcs.watch(start, events::add)) {
                agent.stop();
                assertThatThrownBy(s::renew).isInstanceOf(DcsUnavailableException.class);
                Await.until("the watch says it broke", Duration.ofSeconds(10),
                        () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.WatchInterrupted));
                agent.resume();
                writer.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
                Await.until("the change after the outage", Duration.ofSeconds(10),
                        () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.ConfigChanged));
                assertThat(events.stream().filter(e -> e instanceof ClusterEvent.ConfigChanged)).hasSize(1);
                assertThat(s.renew()).isInstanceOf(Renewal.Renewed.class);
            }
            s.close();
        }
    }
}
