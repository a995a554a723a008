package io.pgha.haproxy.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A push's actions as one log line, each change once with the services it was made in. */
final class ActionSummary {
    private ActionSummary() {
    }

    static String describe(List<ServerAction> actions) {
        Map<String, List<String>> byWhat = new LinkedHashMap<>();
        for (ServerAction a : actions) {
            String what;
            if (a instanceof ServerAction.Enable) {
                what = a.server() + " routable as leader";
            } else if (a instanceof ServerAction.Fence f) {
                what = a.server() + " in maintenance, sessions shut down"
                        + (f.why() == ServerAction.Fence.Why.DCS ? "" : " (passes the primary check but does not lead)");
            } else if (a instanceof ServerAction.Release) {
                what = a.server() + " fence lifted (a running replica), left to health checks";
            } else {
                what = a.server() + " marked down (not the leader)";
            }
            byWhat.computeIfAbsent(what, k -> new ArrayList<>()).add(a.backend());
        }
        return byWhat.entrySet().stream().map(e -> e.getKey() + " in " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
