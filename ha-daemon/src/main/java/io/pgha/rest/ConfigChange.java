package io.pgha.rest;

import io.pgha.config.ConfigProblem;
import io.pgha.config.DynamicConfig;
import io.pgha.config.Timing;
import io.pgha.config.Validated;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A proposed dynamic config, checked the way the daemon will read it: the model's rules, the timing
 * rules, and misspelt keys the change itself introduced. What is written is the merged document as
 * the operator wrote it (not a re-rendering with defaults filled in), so presets keep governing
 * every value nobody pinned.
 */
final class ConfigChange {
    private ConfigChange() {
    }

    /** Every problem of {@code merged}, each naming its field ({@code config.ttl}); empty when it may be written. */
    static List<ConfigProblem> problems(JsonObject merged, JsonObject patch) {
        // The config reader turns nested Vert.x JSON into plain maps and lists itself.
        Validated<DynamicConfig> read = DynamicConfig.fromMap(merged.getMap(), "config");
        if (!read.isValid()) {
            return read.problems();
        }
        List<ConfigProblem> out = new ArrayList<>(Timing.resolve(read.value()).problems());
        // A misspelt key is carried along harmlessly by the model, but one the operator is adding
        // right now is almost surely meant as the real key: say so instead of storing a no-op.
        for (ConfigProblem typo : read.value().likelyTypos("config")) {
            if (touches(patch, typo.path())) {
                out.add(typo);
            }
        }
        return out;
    }

    /** The patch sets (or deletes) the key at {@code path} ({@code config.a.b}) or one of its parents. */
    private static boolean touches(JsonObject patch, String path) {
        String[] parts = path.split("\\.");
        JsonObject level = patch;
        for (int i = 1; i < parts.length; i++) {
            if (!level.containsKey(parts[i])) {
                return false;
            }
            Object v = level.getValue(parts[i]);
            if (!(v instanceof JsonObject next) || i == parts.length - 1) {
                return true;
            }
            level = next;
        }
        return true;
    }
}
