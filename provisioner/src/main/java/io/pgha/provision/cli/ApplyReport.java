package io.pgha.provision.cli;

import io.pgha.provision.apply.Orchestrator;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** The summary after apply: per host what changed and what waits for --restart, and the total. */
final class ApplyReport {
    private ApplyReport() {
    }

    static void table(PrintWriter out, Map<String, Orchestrator.Applied> done, double seconds) {
        out.printf("%-16s %8s %8s%n", "HOST", "CHANGES", "PENDING");
        int total = 0;
        for (Map.Entry<String, Orchestrator.Applied> e : done.entrySet()) {
            out.printf("%-16s %8d %8d%n", e.getKey(), e.getValue().made().size(), e.getValue().pending().size());
            total += e.getValue().made().size();
            e.getValue().pending().forEach(p -> out.println("  pending (apply --restart): " + p));
        }
        out.printf("%d change(s) in %.1f s%n", total, seconds);
    }

    static void json(PrintWriter out, Map<String, Orchestrator.Applied> done, double seconds) {
        int total = done.values().stream().mapToInt(a -> a.made().size()).sum();
        String hosts = done.entrySet().stream().map(e -> "\"" + Json.escape(e.getKey()) + "\":{\"made\":["
                + e.getValue().made().stream().map(m -> "\"" + Json.escape(m) + "\"").collect(Collectors.joining(","))
                + "],\"pending\":[" + e.getValue().pending().stream().map(m -> "\"" + Json.escape(m) + "\"").collect(Collectors.joining(","))
                + "]}").collect(Collectors.joining(","));
        out.printf("{\"changes\":%d,\"seconds\":%.1f,\"hosts\":{%s}}%n", total, seconds, hosts);
    }
}
