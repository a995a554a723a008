package io.pgha.haproxy;

import io.pgha.config.HaproxyCheckTiming;
import io.pgha.dcs.model.Member;
import io.pgha.haproxy.bridge.RoutingPolicy;
import io.pgha.haproxy.bridge.ServerAction;
import io.pgha.haproxy.render.ConfigRenderer;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.RuntimeApi;
import io.pgha.haproxy.runtime.ServerState;
import io.pgha.haproxy.testing.Client;
import io.pgha.haproxy.testing.HaproxyProcess;
import io.pgha.haproxy.testing.Rig;
import io.pgha.haproxy.testing.StandInNode;
import io.pgha.haproxy.topology.MemberEndpoint;
import io.pgha.haproxy.topology.Topology;
import io.pgha.launch.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bridge's pushes against a real HAProxy 2.6, with stand-in members whose health answers the
 * test controls: what health checks alone would do, and what the pushed states do instead.
 */
class RuntimePushTest {
    static final String FAST_CHECKS = "{inter: 0.1, fastinter: 0.1, downinter: 0.1, rise: 1, fall: 1}";
    /** Checks so slow that nothing a test observes can be their doing. */
    static final String SLOW_CHECKS = "{inter: 60, fastinter: 60, downinter: 60, rise: 3, fall: 3}";

    final List<AutoCloseable> open = new ArrayList<>();

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

    record Setup(Rig rig, HaproxyProcess haproxy, String backend) {
        RuntimeApi api() {
            return haproxy.runtime();
        }

        ServerState state(String server) {
            return api().serversState().stream().filter(s -> s.backend().equals(backend) && s.server().equals(server)).findFirst().orElseThrow();
        }

        void push(Optional<String> leader, Set<String> fenced, boolean forceUp) {
            List<ServerAction> actions = RoutingPolicy.plan(Set.of(backend, "pg-test-default"), leader, fenced, api().serversState(), forceUp);
            api().apply(actions.stream().flatMap(a -> a.commands().stream()).toList());
        }

        /** Who answers on the primary port over {@code n} new connections. */
        Set<String> primaryAnswers(int n) {
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                Client.whoAnswers(rig.primaryPort).ifPresent(seen::add);
            }
            return seen;
        }
    }

    Setup start(String checks, String leader, StandInNode... nodes) {
        Rig rig = keep(new Rig(checks));
        List<MemberEndpoint> members = new ArrayList<>();
        for (StandInNode n : nodes) {
            members.add(((MemberEndpoint.Parsed.Usable) MemberEndpoint.of(new Member(n.name, n.memberData("replica", ""), 1, 0)))
                    .endpoint());
        }
        HaproxyCheckTiming timing = rig.settings.checkTiming().orElseThrow();
        String cfg = ConfigRenderer.render(rig.settings, "pg-test", "n1", new Topology(members, Optional.of(leader), timing));
        HaproxyProcess h = keep(rig.startHaproxy(cfg));
        return new Setup(rig, h, "pg-test-primary");
    }

    @Test
    void twoMembersPassingThePrimaryCheckGetTrafficUntilTheBridgeLeavesOnlyTheDcsLeader() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asPrimary(); // a stale primary as health checks see it
        Setup s = start(FAST_CHECKS, "n1", n1, n2);
        Await.until("both pass the /primary check", Duration.ofSeconds(10),
                () -> s.state("n1").checkPassed() && s.state("n2").checkPassed() && s.state("n1").up() && s.state("n2").up());
        assertThat(s.primaryAnswers(10)).as("health checks alone: two primaries behind one port").containsExactly("n1", "n2");

        s.push(Optional.of("n1"), Set.of(), false);

        assertThat(s.primaryAnswers(10)).containsExactly("n1");
        int checksBefore = n1.rest.checks();
        Await.until("ten more health checks of n1", Duration.ofSeconds(10), () -> n1.rest.checks() >= checksBefore + 10);
        assertThat(s.state("n2").forcedMaintenance()).as("n2 stays fenced although its checks pass").isTrue();
        assertThat(s.primaryAnswers(10)).containsExactly("n1");
    }

    @Test
    void aLeaderChangeMovesTrafficAndCutsTheOldLeadersSessionsAtOnce() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        Setup s = start(SLOW_CHECKS, "n1", n1, n2);
        s.push(Optional.of("n1"), Set.of(), false); // a fresh worker counts n2 up until its first check
        Client session = Client.connect(s.rig().primaryPort).orElseThrow();
        assertThat(session.server()).isEqualTo("n1");
        assertThat(session.roundTrip(1000)).isTrue();

        // n1 lost the leader key but still answers 200 (partitioned from etcd, say); n2 was promoted.
        // Checks would need minutes (inter 60s) to notice anything.
        long t0 = System.nanoTime();
        s.push(Optional.of("n2"), Set.of("n1"), true);

        assertThat(session.closedByPeer(1000)).as("the old leader's session is shut down").isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the session was cut").isLessThan(1000);
        assertThat(s.primaryAnswers(10)).containsExactly("n2");
        assertThat(s.state("n1").forcedMaintenance()).isTrue();
        assertThat(s.state("n2").routable()).isTrue();
    }

    @Test
    void aFreshWorkerCountsEveryServerUpUntilCheckedAndTheBridgeMarksTheNonLeadersDown() {
        StandInNode n1 = keep(new StandInNode("n1")).asPrimary();
        StandInNode n2 = keep(new StandInNode("n2")).asReplica();
        Setup s = start(SLOW_CHECKS, "n1", n1, n2);
        assertThat(s.primaryAnswers(10)).as("HAProxy 2.6 starts servers up before any check").containsExactly("n1", "n2");

        s.push(Optional.of("n1"), Set.of(), false);

        assertThat(s.state("n2").up()).isFalse();
        assertThat(s.state("n2").inMaintenance()).as("only marked down: checks may still bring it back").isFalse();
        assertThat(s.primaryAnswers(10)).containsExactly("n1");
    }

    @Test
    void liftingAFenceHandsTheServerBackToHealthChecksWithoutRoutingToIt() {
        StandInNode n1 = keep(new StandInNode("n1")).asReplica();
        StandInNode n2 = keep(new StandInNode("n2")).asPrimary();
        Setup s = start(FAST_CHECKS, "n2", n1, n2);
        s.push(Optional.of("n2"), Set.of("n1"), false);
        assertThat(s.state("n1").forcedMaintenance()).isTrue();

        s.push(Optional.of("n2"), Set.of(), false); // n1 now runs as a replica: the fence is lifted

        ServerState n1State = s.state("n1");
        assertThat(n1State.inMaintenance() || n1State.draining()).isFalse();
        assertThat(n1State.up()).as("down, not counted up on leaving maintenance").isFalse();
        int before = n1.rest.checks();
        Await.until("n1 checked again", Duration.ofSeconds(10), () -> n1.rest.checks() > before + 3);
        assertThat(s.primaryAnswers(10)).containsExactly("n2");
    }

    @Test
    void aMissingOrDeadSocketIsNamedInTheError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path missing = dir.resolve("admin.sock");
        assertThatThrownBy(() -> new RuntimeApi(missing, Duration.ofSeconds(1)).serversState())
                .isInstanceOf(HaproxyUnavailableException.class)
                .hasMessage("HAProxy socket " + missing + " does not exist (is haproxy running with this socket configured?)");
        Files.createFile(missing); // a stale file: HAProxy died without cleaning up
        assertThatThrownBy(() -> new RuntimeApi(missing, Duration.ofSeconds(1)).serversState())
                .isInstanceOf(HaproxyUnavailableException.class)
                .hasMessageStartingWith("HAProxy socket " + missing + " refuses connections")
                .hasMessageEndingWith("haproxy is not running or was started with another socket");
    }
}
