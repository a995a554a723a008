package io.pgha.dcs.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} key the leader writes: its last known WAL position ({@code optime}), the
 * positions of replication slots and which member slots to retain; and the highest timeline a
 * leader runs on or is about to be promoted onto (0: not said), so that no later promotion names
 * the same number again.
 */
public record ClusterStatus(long optime, Map<String, Long> slots, List<String> retainSlots, long timeline) {
    public ClusterStatus {
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        retainSlots = List.copyOf(retainSlots);
    }

    public ClusterStatus(long optime, Map<String, Long> slots, List<String> retainSlots) {
        this(optime, slots, retainSlots, 0);
    }

    public static ClusterStatus parse(String text) {
        JsonObject o = Json.object("status", text);
        long optime = Json.integer(o, "status", "optime").orElse(0L);
        Map<String, Long> slots = new LinkedHashMap<>();
        Json.map(o, "status", "slots").forEach((k, v) -> {
            if (!(v instanceof Number n)) {
                throw new MalformedValueException("status.slots." + k + ": expected an integer LSN, got " + Json.describe(v));
            }
            slots.put(k, n.longValue());
        });
        List<String> retain = new ArrayList<>();
        Object r = o.getValue("retain_slots");
        if (r instanceof JsonArray a) {
            a.forEach(v -> retain.add(String.valueOf(v)));
        } else if (r != null) {
            throw new MalformedValueException("status.retain_slots: expected an array, got " + Json.describe(r));
        }
        return new ClusterStatus(optime, slots, retain, Json.integer(o, "status", "timeline").orElse(0L));
    }

    public String toJson() {
        JsonObject o = new JsonObject().put("optime", optime);
        if (!slots.isEmpty()) {
            o.put("slots", new JsonObject(new LinkedHashMap<>(slots)));
        }
        if (!retainSlots.isEmpty()) {
            o.put("retain_slots", new JsonArray(new ArrayList<>(retainSlots)));
        }
        if (timeline > 0) {
            o.put("timeline", timeline);
        }
        return o.encode();
    }
}
