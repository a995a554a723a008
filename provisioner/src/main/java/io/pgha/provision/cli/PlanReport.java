package io.pgha.provision.cli;

import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.plan.Change;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
                } else if (c instanceof Change.RunSql s) {
                    s.shown().lines().forEach(l -> out.println("      " + l));
                }
            }
        }
        out.println(count(plan) + " change(s)");
    }

    static void json(PrintWriter out, Map<String, List<Change>> plan) {
        String hosts = plan.entrySet().stream().map(e -> "\"" + Json.escape(e.getKey()) + "\":["
                + e.getValue().stream().map(PlanReport::json).collect(Collectors.joining(",")) + "]")
                .collect(Collectors.joining(","));
        out.println("{\"changes\":" + count(plan) + ",\"hosts\":{" + hosts + "}}");
    }

    private static String json(Change c) {
        String kind = c.getClass().getSimpleName();
        String extra = c instanceof Change.WriteFile w ? ",\"diff\":\"" + Json.escape(w.diff()) + "\""
                : c instanceof Change.RunSql s ? ",\"sql\":\"" + Json.escape(s.shown()) + "\"" : "";
        return "{\"kind\":\"" + kind + "\",\"summary\":\"" + Json.escape(c.summary()) + "\"" + extra + "}";
    }
}
