package io.pgha.haproxy.bridge;

import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.runtime.HaproxyRejectedException;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.RuntimeApi;
import io.pgha.haproxy.runtime.ServerState;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings the leader-only services in line with the leader and the fences through the runtime API,
 * as {@link RoutingPolicy} plans it, and shuts fenced servers' sessions in old workers too.
 */
final class LeaderPush {
    private final Set<String> leaderOnly;
    private final RuntimeApi runtime;
    private final HaproxyLink haproxy;
    private final OldWorkerSessions oldWorkers;
    private Optional<String> forcedUpLeader = Optional.empty();
    private List<ServerState> lastStates = List.of();

    /** What a push did; {@code leaderMissing} when the leader has no server in a leader-only service yet. */
    record Pushed(List<ServerAction> actions, boolean leaderMissing) {
    }

    LeaderPush(HaproxySettings settings, String scope, RuntimeApi runtime, HaproxyLink haproxy, OldWorkerSessions oldWorkers) {
        this.leaderOnly = settings.services().stream().filter(s -> s.leaderOnly()).map(s -> scope + "-" + s.name())
                .collect(Collectors.toSet());
        this.runtime = runtime;
        this.haproxy = haproxy;
        this.oldWorkers = oldWorkers;
    }

    /** A leader HAProxy already knows: its health checks are trusted. */
    void trustLeader(Optional<String> leader) {
        forcedUpLeader = leader;
    }

    /** The servers HAProxy reported in the last push that reached it. */
    List<ServerState> lastStates() {
        return lastStates;
    }

    /**
     * @throws HaproxyUnavailableException when HAProxy cannot be reached
     * @throws HaproxyRejectedException when it refuses a command
     */
    Pushed push(ClusterView view) {
        Optional<String> leader = view.writableLeader();
        List<ServerState> states = runtime.serversState();
        lastStates = states;
        haproxy.answered();
        boolean forceUp = leader.isPresent() && !leader.equals(forcedUpLeader);
        List<ServerAction> actions = RoutingPolicy.plan(leaderOnly, leader, view.fenced(), states, forceUp);
        runtime.apply(actions.stream().flatMap(a -> a.commands().stream()).toList());
        if (leader.isPresent()) {
            forcedUpLeader = leader;
        }
        actions.stream().filter(a -> a instanceof ServerAction.Fence f && f.why() == ServerAction.Fence.Why.PASSES_PRIMARY_CHECK)
                .forEach(a -> view.claimsPrimary(a.server()));
        List<ServerAction> fenceActions = actions.stream().filter(a -> a instanceof ServerAction.Fence).toList();
        if (!fenceActions.isEmpty()) {
            oldWorkers.shutDown(fenceActions);
        }
        boolean leaderMissing = leader.isPresent() && leaderOnly.stream().anyMatch(b -> states.stream()
                .noneMatch(s -> s.backend().equals(b) && s.server().equals(leader.get())));
        return new Pushed(actions, leaderMissing);
    }
}
