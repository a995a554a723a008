package io.pgha.provision.cli;

import io.pgha.provision.apply.Orchestrator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.Map;

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
        JsonObject hosts = new JsonObject();
        done.forEach((host, a) -> hosts.put(host, new JsonObject().put("made", new JsonArray(a.made())).put("pending", new JsonArray(a.pending()))));
        int total = done.values().stream().mapToInt(a -> a.made().size()).sum();
        out.println(new JsonObject().put("changes", total).put("seconds", Math.round(seconds * 10) / 10.0).put("hosts", hosts).encode());
    }
}
