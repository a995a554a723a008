package io.pgha.rest;

import io.pgha.config.JsonDepth;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reading the small JSON bodies of command endpoints, each mistake answered with a 400 that names it. */
final class Bodies {
    private Bodies() {
    }

    /** The body as a JSON object; an empty body is an empty object when {@code emptyAllowed}. */
    static JsonObject object(RoutingContext rc, boolean emptyAllowed) {
        String text = rc.body() == null ? null : rc.body().asString();
        if (text == null || text.isBlank()) {
            if (emptyAllowed) {
                return new JsonObject();
            }
            throw new RestException(400, "the body must be a JSON object, got nothing");
        }
        if (JsonDepth.tooDeep(text)) {
            throw new RestException(400, "the body is " + JsonDepth.message());
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new RestException(400, "the body is not valid JSON: " + Blocking.oneLine(e.getMessage()));
        }
        if (!(parsed instanceof JsonObject o)) {
            throw new RestException(400, "the body must be a JSON object, got " + kind(parsed));
        }
        return o;
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return v instanceof String ? "a string" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    static void onlyKeys(JsonObject body, Set<String> known) {
        Set<String> unknown = new TreeSet<>(body.fieldNames());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new RestException(400, "unknown field(s) " + unknown + "; expected some of " + new TreeSet<>(known));
        }
    }

    static Optional<String> string(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new RestException(400, key + ": expected a string, got " + v);
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    static boolean bool(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
        }
        throw new RestException(400, key + ": expected true or false, got " + v);
    }
}
