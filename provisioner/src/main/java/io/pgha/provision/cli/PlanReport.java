package io.pgha.provision.cli;

import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.plan.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** A plan printed per host (text with diffs, or JSON for automation); secrets are already masked. */
final class PlanReport {
    private PlanReport() {
    }

    static int count(Map<String, List<Change>> plan) {
        return plan.values().stream().mapToInt(List::size).sum();
    }

    static void text(PrintWriter out, Inventory inv, Map<String, List<Change>> plan) {
        if (!inv.ignored().isEmpty()) {
            out.println("ignored inventory keys (pgha does not implement them): " + String.join(", ", inv.ignored()));
        }
        for (Map.Entry<String, List<Change>> e : plan.entrySet()) {
            out.println(e.getKey() + ": " + (e.getValue().isEmpty() ? "no changes" : e.getValue().size() + " change(s)"));
            for (Change c : e.getValue()) {
                out.println("  " + c.summary());
                if (c instanceof Change.WriteFile w && !w.diff().isEmpty()) {
                    w.diff().lines().forEach(l -> out.println("      " + l));
                } else if (c instanceof Change.RunCommand s) {
                    s.shown().lines().forEach(l -> out.println("      " + l));
                }
            }
        }
        out.println(count(plan) + " change(s)");
    }

    static void json(PrintWriter out, Map<String, List<Change>> plan) {
        JsonObject hosts = new JsonObject();
        plan.forEach((host, changes) -> hosts.put(host, new JsonArray(changes.stream().map(PlanReport::json).toList())));
        out.println(new JsonObject().put("changes", count(plan)).put("hosts", hosts).encode());
    }

    private static JsonObject json(Change c) {
        JsonObject o = new JsonObject().put("kind", c.getClass().getSimpleName()).put("summary", c.summary());
        if (c instanceof Change.WriteFile w) {
            o.put("diff", w.diff());
        } else if (c instanceof Change.RunCommand s) {
            o.put("input", s.shown());
        }
        return o;
    }
}
