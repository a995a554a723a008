package io.pgha.dcs.etcd;

import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.launch.Await;
import io.pgha.launch.EtcdCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DCS contract while etcd members die, freeze or all go away. Each test gets a fresh
 * three-member cluster because it damages it.
 */
class EtcdFailureTest {
    private static final Duration RETRY = Duration.ofSeconds(3);
    private EtcdCluster etcd;
    private EtcdTestClients clients;

    @BeforeEach
    void startEtcd() {
        etcd = EtcdCluster.start(3);
        clients = new EtcdTestClients(etcd);
    }

    @AfterEach
    void stopEtcd() {
        if (clients != null) {
            clients.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /** Runs {@code call} and returns how long it took, failing if it took longer than retry_timeout. */
    private static Duration withinRetryTimeout(Runnable call) {
        long start = System.nanoTime();
        call.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("call duration").isLessThanOrEqualTo(RETRY);
        return took;
    }

    @Test
    void aKilledEtcdMemberIsSurvivedBySwitchingEndpoints() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession session = dcs.openSession("node-a", 10);
        assertThat(session.acquireLeader()).isTrue();
        int used = dcs.endpoints().currentIndex();

        etcd.killMember(used);

        withinRetryTimeout(() -> assertThat(session.renew()).isInstanceOf(Renewal.Renewed.class));
        assertThat(dcs.endpoints().currentIndex()).isNotEqualTo(used);
        withinRetryTimeout(() -> assertThat(dcs.read(Consistency.LINEARIZABLE).leaderName()).contains("node-a"));
        withinRetryTimeout(() -> assertThat(dcs.write(ClusterKey.CONFIG, "{}", Expect.absent()).written()).isTrue());
        session.close();
    }

    @Test
    void aFrozenEtcdMemberCostsOneSliceOfRetryTimeoutNotAHang() {
        EtcdDcs dcs = clients.client(RETRY);
        dcs.read(Consistency.LINEARIZABLE); // connect to the current endpoint first
        int used = dcs.endpoints().currentIndex();
        etcd.freezeMember(used);
        try {
            withinRetryTimeout(() -> assertThat(dcs.write(ClusterKey.STATUS, "{\"optime\":1}", Expect.anything()).written()).isTrue());
            assertThat(dcs.endpoints().currentIndex()).isNotEqualTo(used);
        } finally {
            etcd.thawMember(used);
        }
    }

    @Test
    void aFullyStoppedEtcdYieldsTheUnavailableErrorWithinRetryTimeout() {
        EtcdDcs dcs = clients.client(RETRY);
        MemberSession session = dcs.openSession("node-a", 10);
        etcd.killAll();

        long start = System.nanoTime();
        assertThatThrownBy(session::renew).isInstanceOf(DcsUnavailableException.class)
                .hasMessageContaining("keepalive lease")
                .hasMessageContaining("within retry_timeout 3000 ms");
        assertThatThrownBy(() -> dcs.read(Consistency.LINEARIZABLE)).isInstanceOf(DcsUnavailableException.class);
        assertThatThrownBy(session::acquireLeader).isInstanceOf(DcsUnavailableException.class);
        Duration three = Duration.ofNanos(System.nanoTime() - start);
        // Each call ends at retry_timeout at the latest (plus scheduling slack), never hangs.
        assertThat(three).isLessThan(RETRY.multipliedBy(3).plusSeconds(1));

        etcd.restartAll();
        assertThat(dcs.read(Consistency.LINEARIZABLE).revision()).isPositive();
    }

    @Test
    void etcdBackAfterALongOutageIsUsedAtOnceNotAfterTheClientsReconnectBackoff() {
        EtcdDcs dcs = clients.client(RETRY);
        dcs.read(Consistency.LINEARIZABLE);
        etcd.killAll();
        // Long enough for gRPC's reconnect backoff (1 s, ×1.6 per failed attempt) to grow past retry_timeout.
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> dcs.read(Consistency.LINEARIZABLE)).isInstanceOf(DcsUnavailableException.class);
        }
        etcd.restartAll();
        assertThat(withinRetryTimeout(() -> dcs.read(Consistency.LINEARIZABLE))).isPositive();
    }

    @Test
    void aFrozenQuorumAlsoYieldsTheUnavailableErrorWithinRetryTimeout() {
        EtcdDcs dcs = clients.client(RETRY);
        dcs.read(Consistency.LINEARIZABLE);
        for (int i = 0; i < etcd.size(); i++) {
            etcd.freezeMember(i);
        }
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> dcs.read(Consistency.LINEARIZABLE)).isInstanceOf(DcsUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RETRY.plusSeconds(1));
        } finally {
            for (int i = 0; i < etcd.size(); i++) {
                etcd.thawMember(i);
            }
        }
    }

    /**
     * An etcd leader cut off from its followers renews leases on its own until it steps down, and a
     * new leader on the other side never hears of those renewals: counted, they would let a primary
     * write past the expiry the majority goes by (the chaos suite saw exactly that).
     */
    @Test
    void aRenewalTakenByAnEtcdLeaderThatLostItsQuorumDoesNotMoveTheDeadline() throws Exception {
        int leader = leaderIndex();
        EtcdDcs dcs = clients.client(Duration.ofSeconds(1), List.of(etcd.clientUrl(leader)));
        MemberSession session = dcs.openSession("node-a", 10);
        assertThat(session.renew()).as("with its quorum the leader's renewal counts").isInstanceOf(Renewal.Renewed.class);
        long deadline = session.lease().deadlineNanos();
        List<Integer> followers = new ArrayList<>();
        for (int i = 0; i < etcd.size(); i++) {
            if (i != leader) {
                followers.add(i);
            }
        }
        followers.forEach(etcd::freezeMember);
        try {
            assertThatThrownBy(session::renew).isInstanceOf(DcsUnavailableException.class);
            assertThat(session.lease().deadlineNanos()).as("deadline after a renewal no quorum confirmed").isEqualTo(deadline);
        } finally {
            followers.forEach(etcd::thawMember);
        }
        Await.until("renewal counted again once the quorum is back", Duration.ofSeconds(15), () -> {
            try {
                return session.renew() instanceof Renewal.Renewed;
            } catch (DcsUnavailableException e) {
                return false;
            }
        });
        assertThat(session.lease().deadlineNanos()).isGreaterThan(deadline);
        session.close();
    }

    /** Index of the member every member names as leader. */
    private int leaderIndex() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("etcdctl", "--endpoints", String.join(",", etcd.clientUrls()), "endpoint", "status",
                "-w", "json").redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("etcdctl endpoint status: %s", out).isZero();
        JsonArray statuses = new JsonArray(out);
        for (int i = 0; i < statuses.size(); i++) {
            JsonObject st = statuses.getJsonObject(i).getJsonObject("Status");
            if (st.getJsonObject("header").getLong("member_id").equals(st.getLong("leader"))) {
                String endpoint = statuses.getJsonObject(i).getString("Endpoint");
                return etcd.clientUrls().indexOf(endpoint);
            }
        }
        throw new AssertionError("no etcd member is leader: " + out);
    }

    @Test
    void aWatchResumesWithoutMissingOrRepeatingEventsAfterItsStreamBreaks() throws Exception {
        // The watch starts on a follower and the writer never talks to it: killing it breaks the
        // stream without stalling writes on an election (a killed raft leader did, on a loaded machine).
        int follower = (leaderIndex() + 1) % 3;
        List<String> others = new ArrayList<>(etcd.clientUrls());
        others.remove(follower);
        List<String> watcherOrder = new ArrayList<>(List.of(etcd.clientUrl(follower)));
        watcherOrder.addAll(others);
        EtcdDcs watcherDcs = clients.client(RETRY, watcherOrder);
        watcherDcs.endpoints().startAt(0);
        EtcdDcs writer = clients.client(RETRY, others);
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        long start = writer.read(Consistency.LINEARIZABLE).revision();
        int watchedEndpoint = watcherDcs.endpoints().currentIndex();
        assertThat(watchedEndpoint).isZero();

        try (ClusterWatch watch = watcherDcs.watch(start, events::add)) {
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                written.add(((CasResult.Written) writer.write(ClusterKey.STATUS, "{\"optime\":" + i + "}", Expect.anything())).version());
            }
            Await.until("first 20 events", Duration.ofSeconds(10), () -> watch.lastRevision() >= written.get(19));

            etcd.killMember(follower); // breaks the watch stream
            for (int i = 20; i < 40; i++) {
                written.add(((CasResult.Written) writer.write(ClusterKey.STATUS, "{\"optime\":" + i + "}", Expect.anything())).version());
            }
            Await.until("all 40 events", Duration.ofSeconds(15), () -> watch.lastRevision() >= written.get(39));

            List<Long> seen = events.stream().filter(e -> e instanceof ClusterEvent.KeyChanged).map(ClusterEvent::revision).toList();
            assertThat(seen).as("every write seen exactly once, in order").isEqualTo(written);
            assertThat(events).anyMatch(e -> e instanceof ClusterEvent.WatchInterrupted);
        }
    }

    @Test
    void wrongCredentialsAreARejectionNotAnOutage() throws Exception {
        String root = etcd.clientUrl(0);
        etcdctl(root, "user", "add", "root:rootpw");
        etcdctl(root, "auth", "enable");

        EtcdDcs anonymous = clients.client(RETRY);
        assertThatThrownBy(() -> anonymous.read(Consistency.LINEARIZABLE))
                .isInstanceOf(DcsRejectedException.class)
                .hasMessageContaining("etcd refused");

        EtcdDcs wrong = new EtcdDcs(anonymous.layout(), new EtcdSettings(etcd.clientUrls().stream().map(URI::create).toList(),
                Optional.of("root"), Optional.of("nope"), Optional.empty(), Optional.empty(),
                Optional.empty(), RETRY));
        EtcdDcs right = new EtcdDcs(anonymous.layout(), new EtcdSettings(etcd.clientUrls().stream().map(URI::create).toList(),
                Optional.of("root"), Optional.of("rootpw"), Optional.empty(), Optional.empty(),
                Optional.empty(), RETRY));
        try (wrong; right) {
            assertThatThrownBy(() -> wrong.read(Consistency.LINEARIZABLE)).isInstanceOf(DcsRejectedException.class);
            assertThat(right.write(ClusterKey.CONFIG, "{}", Expect.absent()).written()).isTrue();
        }
    }

    private static void etcdctl(String endpoint, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("etcdctl %s: %s", String.join(" ", args), out).isZero();
    }
}
