package io.pgha.rest;

import io.pgha.config.JsonDepth;
import io.pgha.ha.PeerStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Reads a peer's {@code GET /patroni} answer into what a leader race needs. Anything we cannot
 * trust (non-200, not JSON, wrong types) is "unreachable": a garbled rival must neither block our
 * promotion nor be counted as a primary.
 */
final class PeerAnswer {
    private PeerAnswer() {
    }

    static PeerStatus read(int status, String body) {
        if (status != 200) {
            return new PeerStatus.Unreachable("HTTP " + status);
        }
        if (body == null || JsonDepth.tooDeep(body)) {
            return new PeerStatus.Unreachable(body == null ? "answer has no body" : "answer is " + JsonDepth.message());
        }
        JsonObject o;
        try {
            Object parsed = Json.decodeValue(body);
            if (!(parsed instanceof JsonObject obj)) {
                return new PeerStatus.Unreachable("answer is not a JSON object");
            }
            o = obj;
        } catch (DecodeException e) {
            return new PeerStatus.Unreachable("answer is not JSON");
        }
        try {
            String role = string(o, "role");
            String state = string(o, "state");
            boolean primary = ("primary".equals(role) || "master".equals(role)) && "running".equals(state);
            long wal = walPosition(o.getValue("xlog"));
            Map<String, Object> tags = o.getValue("tags") == null ? Map.of() : object(o.getValue("tags"), "tags").getMap();
            // A required watchdog that failed keeps that peer from leading, as nofailover does (Patroni skips it too).
            boolean noFailover = HealthRules.isTrue(tags.get("nofailover")) || Boolean.TRUE.equals(o.getValue("watchdog_failed"));
            int priority = noFailover ? 0 : priority(tags.get("failover_priority"));
            return new PeerStatus.Answered(primary, wal, noFailover, priority);
        } catch (IllegalArgumentException e) {
            return new PeerStatus.Unreachable("malformed answer: " + e.getMessage());
        }
    }

    /** A primary's flush location, or the furthest a replica has received or replayed; 0 when PostgreSQL is down. */
    private static long walPosition(Object xlog) {
        if (xlog == null) {
            return 0;
        }
        JsonObject x = object(xlog, "xlog");
        if (x.containsKey("location")) {
            return lsn(x, "location");
        }
        return Math.max(lsn(x, "received_location"), lsn(x, "replayed_location"));
    }

    private static long lsn(JsonObject x, String key) {
        Object v = x.getValue(key);
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new IllegalArgumentException("xlog." + key + " is not a WAL position");
    }

    private static int priority(Object p) {
        if (p == null) {
            return 1;
        }
        if (p instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        if (p instanceof String s && s.trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(s.trim());
        }
        throw new IllegalArgumentException("tags.failover_priority is not an integer");
    }

    private static String string(JsonObject o, String key) {
        Object v = o.getValue(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException(key + " is not a string");
    }

    private static JsonObject object(Object v, String what) {
        if (v instanceof JsonObject j) {
            return j;
        }
        throw new IllegalArgumentException(what + " is not an object");
    }
}
