package io.pgha.haproxy;

import io.pgha.haproxy.bridge.RoutingPolicy;
import io.pgha.haproxy.bridge.ServerAction;
import io.pgha.haproxy.runtime.ServerState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The decisions the bridge pushes, one row per situation. */
class RoutingPolicyTest {
    static final Set<String> LEADER_ONLY = Set.of("pg-primary");
    static final int MAINT = ServerState.FORCED_MAINT;
    static final int DRAIN = ServerState.FORCED_DRAIN;

    static ServerState s(String server, int op, int admin) {
        return new ServerState("pg-primary", server, op, admin, ServerState.CHECK_UNKNOWN, 0);
    }

    static List<ServerAction> plan(Optional<String> leader, Set<String> fenced, boolean forceUp, ServerState... states) {
        return RoutingPolicy.plan(LEADER_ONLY, leader, fenced, List.of(states), forceUp);
    }

    @Test
    void failoverFencesTheOldLeaderBeforeTheNewOneIsForcedUp() {
        List<ServerAction> actions = plan(Optional.of("n2"), Set.of("n1"), true,
                s("n1", ServerState.RUNNING, 0), s("n2", ServerState.STOPPED, 0), s("n3", ServerState.STOPPED, 0));
        assertThat(actions).containsExactly(new ServerAction.Fence("pg-primary", "n1", ServerAction.Fence.Why.DCS), new ServerAction.Enable("pg-primary", "n2", false, true));
        assertThat(actions.get(0).commands()).containsExactly("set server pg-primary/n1 state maint", "shutdown sessions server pg-primary/n1");
        assertThat(actions.get(1).commands()).containsExactly("set server pg-primary/n2 health up");
    }

    @Test
    void aLeaderInMaintenanceIsMadeReadyWhichAlsoCountsItUp() {
        assertThat(plan(Optional.of("n1"), Set.of(), true, s("n1", ServerState.STOPPED, MAINT)))
                .containsExactly(new ServerAction.Enable("pg-primary", "n1", true, false));
    }

    @Test
    void aLeaderAlreadyForcedUpOnceIsLeftToItsHealthChecks() {
        // e.g. its PostgreSQL crashed and is restarting in place: checks say down, and they are right
        assertThat(plan(Optional.of("n1"), Set.of(), false, s("n1", ServerState.STOPPED, 0))).isEmpty();
    }

    @Test
    void withoutALeaderNobodyIsRoutable() {
        assertThat(plan(Optional.empty(), Set.of("n1"), false, s("n1", ServerState.RUNNING, 0), s("n2", ServerState.RUNNING, 0)))
                .containsExactly(new ServerAction.Fence("pg-primary", "n1", ServerAction.Fence.Why.DCS), new ServerAction.MarkDown("pg-primary", "n2"));
    }

    @Test
    void aNonLeaderCountedUpIsMarkedDownSoTwoServersAreNeverRoutable() {
        assertThat(plan(Optional.of("n1"), Set.of(), false, s("n1", ServerState.RUNNING, 0), s("n2", ServerState.STARTING, 0)))
                .containsExactly(new ServerAction.MarkDown("pg-primary", "n2"));
    }

    @Test
    void aNonLeaderPassingThePrimaryCheckIsFencedNotJustMarkedDown() {
        ServerState claims = new ServerState("pg-primary", "n2", ServerState.RUNNING, 0, ServerState.CHECK_PASSED, 5);
        assertThat(plan(Optional.of("n1"), Set.of(), false, s("n1", ServerState.RUNNING, 0), claims))
                .containsExactly(new ServerAction.Fence("pg-primary", "n2", ServerAction.Fence.Why.PASSES_PRIMARY_CHECK));
    }

    @Test
    void aFenceIsLiftedThroughDrainSoTheServerIsNeverRoutableOnTheWay() {
        List<ServerAction> actions = plan(Optional.of("n2"), Set.of(), false, s("n1", ServerState.STOPPED, MAINT), s("n2", ServerState.RUNNING, 0));
        assertThat(actions).containsExactly(new ServerAction.Release("pg-primary", "n1"));
        assertThat(actions.get(0).commands()).containsExactly("set server pg-primary/n1 state drain",
                "set server pg-primary/n1 health down", "set server pg-primary/n1 state ready");
        assertThat(plan(Optional.of("n2"), Set.of(), false, s("n1", ServerState.RUNNING, DRAIN)))
                .containsExactly(new ServerAction.Release("pg-primary", "n1"));
    }

    @Test
    void aFencedServerAlreadyInMaintenanceIsLeftAlone() {
        assertThat(plan(Optional.of("n2"), Set.of("n1"), false, s("n1", ServerState.STOPPED, MAINT), s("n2", ServerState.RUNNING, 0))).isEmpty();
    }

    @Test
    void servicesThatAreNotLeaderOnlyAreLeftToHealthChecks() {
        ServerState replicaService = new ServerState("pg-replica", "n1", ServerState.RUNNING, 0, ServerState.CHECK_PASSED, 3);
        assertThat(RoutingPolicy.plan(LEADER_ONLY, Optional.of("n2"), Set.of("n1"), List.of(replicaService), true)).isEmpty();
    }
}
