package io.pgha.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;


/**
 * JSON merge patch (RFC 7396): objects merge key by key, {@code null} deletes a key, anything else
 * (arrays included) replaces. Neither argument is modified.
 */
final class MergePatch {
    private MergePatch() {
    }

    static JsonObject apply(JsonObject target, JsonObject patch) {
        JsonObject result = target.copy();
        for (String key : patch.fieldNames()) {
            Object change = patch.getValue(key);
            if (change == null) {
                result.remove(key);
            } else if (change instanceof JsonObject p) {
                Object current = result.getValue(key);
                result.put(key, apply(current instanceof JsonObject c ? c : new JsonObject(), p));
            } else {
                result.put(key, copy(change));
            }
        }
        return result;
    }

    private static Object copy(Object v) {
        if (v instanceof JsonArray a) {
            return a.copy();
        }
        return v;
    }
}
