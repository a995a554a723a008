package io.pgha.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Plain maps and lists all the way down: what the config reader takes (it knows nothing of Vert.x JSON types). */
    static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plain(o.getMap());
        }
        if (v instanceof JsonArray a) {
            return plain(a.getList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }
}
