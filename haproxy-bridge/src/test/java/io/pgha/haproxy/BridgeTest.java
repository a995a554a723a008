package io.pgha.haproxy;

import io.pgha.config.RtoPreset;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.haproxy.bridge.Bridge;
import io.pgha.haproxy.bridge.ConfigDeployer;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.config.HaproxySettingsReader;
import io.pgha.haproxy.render.ConfigRenderer;
import io.pgha.haproxy.runtime.ServerState;
import io.pgha.haproxy.testing.Client;
import io.pgha.haproxy.testing.HaproxyProcess;
import io.pgha.haproxy.testing.Rig;
import io.pgha.haproxy.testing.StandInNode;
import io.pgha.haproxy.topology.Topology;
import io.pgha.launch.Await;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge as it runs: a real etcd carrying member and leader keys as pgha daemons write them, a
 * real HAProxy in master-worker mode, stand-in members. Health checks are slowed to a minute, so
 * every move observed here is the bridge's.
 */
class BridgeTest {
    static final String SLOW_CHECKS = "{inter: 60, fastinter: 60, downinter: 60, rise: 3, fall: 3}";
    static EtcdCluster etcd;

    final List<AutoCloseable> open = new ArrayList<>();
    final String scope = "pg-test";
    final String namespace = "/t-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }

    EtcdDcs dcs() {
        return keep(new EtcdDcs(new KeyLayout(namespace, scope), EtcdSettings.plain(etcd.clientUrls(), Duration.ofSeconds(2))));
    }

    MemberSession join(EtcdDcs dcs, StandInNode n, String role) {
        MemberSession s = keep(dcs.openSession(n.name, 30));
        s.publish(n.memberData(role, ""));
        return s;
    }

    Bridge bridge(HaproxySettings settings) {
        return keep(new Bridge(settings, scope, "n1", RtoPreset.NORM, dcs()).start());
    }

    HaproxyProcess haproxyWithNoMembers(Rig rig) {
        return keep(rig.startHaproxy(ConfigRenderer.render(rig.settings, scope, "n1",
                new Topology(List.of(), Optional.empty(), rig.settings.checkTiming().orElseThrow()))));
    }

    static Set<String> answers(int port, int n) {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Client.whoAnswers(port).ifPresent(seen::add);
        }
        return seen;
    }

    static Optional<ServerState> state(HaproxyProcess h, String backend, String server) {
        return h.runtime().serversState().stream().filter(s -> s.backend().equals(backend) && s.server().equals(server)).findFirst();
    }

    @Test
    void aLeaderChangeMovesThePrimaryPortAtOnceAndCutsTheOldLeadersSessions() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        EtcdDcs daemons = dcs();
        MemberSession s1 = join(daemons, n1, "primary");
        MemberSession s2 = join(daemons, n2, "replica");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        HaproxyProcess h = haproxyWithNoMembers(rig);
        bridge(rig.settings);
        Await.until("the bridge renders both members in and routes the primary port to n1", Duration.ofSeconds(15),
                () -> answers(rig.primaryPort, 6).equals(Set.of("n1")) && state(h, "pg-test-primary", "n2").isPresent());
        Client session = Client.connect(rig.primaryPort).orElseThrow();
        assertThat(session.server()).isEqualTo("n1");

        // n1 loses the key and n2 takes it; n1's REST still answers 200 (it has not noticed), and
        // checks run once a minute: only the bridge can move anything in the next second.
        assertThat(s1.releaseLeader()).isTrue();
        long t0 = System.nanoTime();
        assertThat(s2.acquireLeader()).isTrue();
        Await.until("the primary port answered by n2", Duration.ofSeconds(2), () -> answers(rig.primaryPort, 1).equals(Set.of("n2")));
        long movedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(session.closedByPeer(1000)).as("n1's session through HAProxy is shut down").isTrue();
        assertThat(movedMs).as("ms from the leader key change to traffic on n2").isLessThan(1000);
        assertThat(answers(rig.primaryPort, 10)).containsExactly("n2");
        assertThat(answers(rig.defaultPort, 10)).containsExactly("n2");
        assertThat(state(h, "pg-test-primary", "n1").orElseThrow().forcedMaintenance()).isTrue();

        // n1 comes back as a running replica (a newer member key): its fence is lifted, checks decide again.
        s1.publish(n1.asReplica().memberData("replica", ""));
        Await.until("n1's fence lifted", Duration.ofSeconds(10), () -> !state(h, "pg-test-primary", "n1").orElseThrow().inMaintenance());
        assertThat(state(h, "pg-test-primary", "n1").orElseThrow().up()).isFalse();
        assertThat(answers(rig.primaryPort, 10)).containsExactly("n2");
    }

    @Test
    void sessionsOpenedBeforeAReloadLiveInTheOldWorkerAndAreCutThereToo() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        StandInNode n3 = keep(new StandInNode("n3")).asReplica();
        EtcdDcs daemons = dcs();
        MemberSession s1 = join(daemons, n1, "primary");
        MemberSession s2 = join(daemons, n2, "replica");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        HaproxyProcess h = haproxyWithNoMembers(rig);
        bridge(rig.settings);
        Await.until("n1 behind the primary port", Duration.ofSeconds(15), () -> answers(rig.primaryPort, 3).equals(Set.of("n1"))
                && state(h, "pg-test-primary", "n2").isPresent());
        Client session = Client.connect(rig.primaryPort).orElseThrow();
        long worker = h.runtime().workerPid();
        join(daemons, n3, "replica"); // a reload: the session stays with the old worker
        Await.until("a new worker", Duration.ofSeconds(15), () -> h.runtime().workerPid() != worker);
        h.rememberWorkers();
        Await.until("the old worker still serving the session", Duration.ofSeconds(5), () -> h.masterCli().processes().oldWorkers().contains(worker));

        assertThat(s1.releaseLeader()).isTrue();
        assertThat(s2.acquireLeader()).isTrue();

        assertThat(session.closedByPeer(2000)).as("the old worker's session to n1 is shut down").isTrue();
    }

    @Test
    void aJoiningMemberIsRenderedInAndReloadedWithoutDroppingEstablishedSessions() throws Exception {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        EtcdDcs daemons = dcs();
        MemberSession s1 = join(daemons, n1, "primary");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        HaproxyProcess h = haproxyWithNoMembers(rig);
        bridge(rig.settings);
        Await.until("n1 behind the primary and replica ports", Duration.ofSeconds(15),
                () -> answers(rig.primaryPort, 1).equals(Set.of("n1")) && answers(rig.replicaPort, 1).equals(Set.of("n1")));
        long workerBefore = h.runtime().workerPid();
        h.rememberWorkers();
        Client primarySession = Client.connect(rig.primaryPort).orElseThrow();
        Client replicaSession = Client.connect(rig.replicaPort).orElseThrow();

        join(daemons, n2, "replica");

        Await.until("a new worker with n2 in the replica service", Duration.ofSeconds(15),
                () -> h.runtime().workerPid() != workerBefore && state(h, "pg-test-replica", "n2").isPresent());
        h.rememberWorkers();
        assertThat(primarySession.roundTrip(1000)).as("session through the primary port survives the reload").isTrue();
        assertThat(replicaSession.roundTrip(1000)).as("session through the replica port survives the reload").isTrue();
        assertThat(answers(rig.replicaPort, 6)).as("replicas first, the leader only as backup").containsExactly("n2");
        assertThat(answers(rig.primaryPort, 6)).as("a new server counted up by the fresh worker is marked down").containsExactly("n1");
        assertThat(Files.readString(rig.settings.configFile())).contains("server n2 127.0.0.1:" + n2.postgres.port());
    }

    @Test
    void withHaproxyMissingItWritesTheConfigAndTakesOverOnceHaproxyStarts() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        EtcdDcs daemons = dcs();
        MemberSession s1 = join(daemons, n1, "primary");
        join(daemons, n2, "replica");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        bridge(rig.settings);
        Await.until("haproxy.cfg written although HAProxy is not running", Duration.ofSeconds(15),
                () -> Files.exists(rig.settings.configFile()));

        HaproxyProcess h = keep(HaproxyProcess.start(rig.settings.configFile(), rig.settings.masterSocket(), rig.settings.runtimeSocket(),
                rig.dir.resolve("haproxy.log")));

        // A fresh HAProxy counts n2 up too; the bridge, retrying every second, finds it and marks n2 down.
        Await.until("only the leader behind the primary port", Duration.ofSeconds(10),
                () -> !state(h, "pg-test-primary", "n2").orElseThrow().up());
        assertThat(answers(rig.primaryPort, 10)).containsExactly("n1");
    }

    /** A standby cluster's leader replicates, read-only: no leader-only service may route to it, the others do. */
    @Test
    void inAStandbyClusterThePrimaryServiceRoutesNowhere() {
        StandInNode n1 = keep(new StandInNode("n1")).asReplica();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        EtcdDcs daemons = dcs();
        daemons.write(ClusterKey.CONFIG, "{\"standby_cluster\":{\"host\":\"10.0.0.9\",\"port\":5432}}", Expect.absent());
        MemberSession s1 = join(daemons, n1, "standby_leader");
        join(daemons, n2, "replica");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        HaproxyProcess h = haproxyWithNoMembers(rig);
        bridge(rig.settings);

        Await.until("both members behind the replica port", Duration.ofSeconds(15),
                () -> state(h, "pg-test-replica", "n1").isPresent() && state(h, "pg-test-replica", "n2").isPresent());
        // A fresh worker counts the leader up in the default service; only the bridge takes it out there.
        Await.until("the standby leader out of both leader-only services", Duration.ofSeconds(15),
                () -> state(h, "pg-test-primary", "n1").map(st -> !st.up()).orElse(false)
                        && state(h, "pg-test-default", "n1").map(st -> !st.up()).orElse(false));
        assertThat(Client.whoAnswers(rig.primaryPort)).as("nobody takes writes in a standby cluster").isEmpty();
        assertThat(Client.whoAnswers(rig.defaultPort)).isEmpty();
        assertThat(answers(rig.replicaPort, 6)).isNotEmpty();
    }

    /**
     * The race of a node coming up: the bridge writes haproxy.cfg just after haproxy.service read the
     * file that was there before. The file on disk then is not what HAProxy runs, and the bridge must
     * not take one for the other.
     */
    @Test
    void aConfigWrittenAfterHaproxyReadItsFileIsDeployedAgain() throws Exception {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        EtcdDcs daemons = dcs();
        MemberSession s1 = join(daemons, n1, "primary");
        join(daemons, n2, "replica");
        assertThat(s1.acquireLeader()).isTrue();
        Rig rig = keep(new Rig(SLOW_CHECKS));
        Bridge first = bridge(rig.settings);
        Await.until("haproxy.cfg written although HAProxy is not running", Duration.ofSeconds(15),
                () -> Files.exists(rig.settings.configFile()));
        first.close();
        String rendered = Files.readString(rig.settings.configFile());

        HaproxyProcess h = haproxyWithNoMembers(rig);
        Files.writeString(rig.settings.configFile(), rendered);
        long worker = h.runtime().workerPid();
        bridge(rig.settings);

        Await.until("HAProxy reloaded onto the rendered config", Duration.ofSeconds(15),
                () -> h.runtime().workerPid() != worker && state(h, "pg-test-primary", "n1").isPresent());
        assertThat(answers(rig.primaryPort, 6)).containsExactly("n1");
    }

    @Test
    void aConfigHaproxyRefusesIsNeverPutInPlace() throws Exception {
        Rig rig = keep(new Rig(SLOW_CHECKS));
        HaproxyProcess h = haproxyWithNoMembers(rig);
        String running = Files.readString(rig.settings.configFile());
        long worker = h.runtime().workerPid();
        Map<String, Object> section = rig.section(SLOW_CHECKS);
        @SuppressWarnings("unchecked")
        List<Object> services = (List<Object>) section.get("services");
        services.add(Map.of("name", "broken", "port", Ports.free(), "options", List.of("balance nonsense")));
        HaproxySettings bad = HaproxySettingsReader.read(section, scope);
        String text = ConfigRenderer.render(bad, scope, "n1", new Topology(List.of(), Optional.empty(), bad.checkTiming().orElseThrow()));

        ConfigDeployer.Outcome outcome = new ConfigDeployer(bad, h.runtime(), h.masterCli(), Duration.ofSeconds(10)).deploy(text);

        assertThat(outcome).isInstanceOfSatisfying(ConfigDeployer.Outcome.Invalid.class,
                i -> assertThat(i.haproxyOutput()).contains("balance only supports"));
        assertThat(Files.readString(rig.settings.configFile())).isEqualTo(running);
        assertThat(h.runtime().workerPid()).isEqualTo(worker);
    }
}
