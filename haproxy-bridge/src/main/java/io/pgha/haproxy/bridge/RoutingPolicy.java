package io.pgha.haproxy.bridge;

import io.pgha.haproxy.runtime.ServerState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the leader-only services (primary, default: checked on {@code /primary}) should look like,
 * given who holds the leader key, compared with what HAProxy reports. Pure, so every rule is a
 * table row in a test.
 *
 * <ul>
 *   <li>the leader is ready, and forced up once per leader change;</li>
 *   <li>a fenced member (the previous leader until it runs as a replica, or any non-leader that
 *       reports itself primary) is in maintenance with its sessions shut down;</li>
 *   <li>every other server is left to its health checks, but never counted up: a fresh worker's
 *       "up until checked" is marked down, and one that passes the leader-only check although the DCS
 *       names another leader is fenced. Only the leader may be routable, so a service never points at
 *       two primaries;</li>
 *   <li>without a leader nobody is routable — nobody may write.</li>
 * </ul>
 * Fences and mark-downs come before the enable, so no moment has two routable servers.
 */
public final class RoutingPolicy {
    private RoutingPolicy() {
    }

    /**
     * @param leaderOnlyBackends proxy names of the services the bridge steers
     * @param forceLeaderUp      whether this leader has not yet been forced up (a leader change)
     */
    public static List<ServerAction> plan(Set<String> leaderOnlyBackends, Optional<String> leader, Set<String> fenced,
                                          List<ServerState> actual, boolean forceLeaderUp) {
        List<ServerAction> out = new ArrayList<>();
        for (ServerState s : actual) {
            if (!leaderOnlyBackends.contains(s.backend())) {
                continue;
            }
            boolean isLeader = leader.filter(s.server()::equals).isPresent();
            if (isLeader) {
                boolean leave = s.inMaintenance() || s.draining();
                // Leaving maintenance counts the server up by itself; otherwise force it once per leader change.
                boolean force = forceLeaderUp && !s.up() && !s.inMaintenance();
                if (leave || force) {
                    out.add(new ServerAction.Enable(s.backend(), s.server(), leave, force));
                }
            } else if (fenced.contains(s.server())) {
                if (!s.forcedMaintenance()) {
                    out.add(new ServerAction.Fence(s.backend(), s.server(), ServerAction.Fence.Why.DCS));
                }
            } else if (s.forcedMaintenance() || s.draining()) {
                out.add(new ServerAction.Release(s.backend(), s.server()));
            } else if (s.up() && s.checkPassed()) {
                out.add(new ServerAction.Fence(s.backend(), s.server(), ServerAction.Fence.Why.PASSES_PRIMARY_CHECK));
            } else if (s.up()) {
                out.add(new ServerAction.MarkDown(s.backend(), s.server()));
            }
        }
        out.sort(Comparator.comparingInt(a -> a instanceof ServerAction.Enable ? 1 : 0));
        return out;
    }
}
