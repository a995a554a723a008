package io.pgha.dcs.model;

import io.pgha.config.JsonDepth;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Strict readers for DCS JSON: a field of the wrong type is an error that names the field. */
final class Json {
    private Json() {
    }

    static JsonObject object(String what, String text) {
        try {
            Object parsed = decode(what, text);
            if (parsed instanceof JsonObject o) {
                return o;
            }
            throw new MalformedValueException(what + ": expected a JSON object, got " + describe(parsed));
        } catch (DecodeException e) {
            throw new MalformedValueException(what + ": not valid JSON: " + describe(text));
        }
    }

    static JsonArray array(String what, String text) {
        try {
            Object parsed = decode(what, text);
            if (parsed instanceof JsonArray a) {
                return a;
            }
            throw new MalformedValueException(what + ": expected a JSON array, got " + describe(parsed));
        } catch (DecodeException e) {
            throw new MalformedValueException(what + ": not valid JSON: " + describe(text));
        }
    }

    private static Object decode(String what, String text) {
        if (text == null) {
            throw new MalformedValueException(what + ": no value");
        }
        if (JsonDepth.tooDeep(text)) {
            throw new MalformedValueException(what + ": " + JsonDepth.message());
        }
        return io.vertx.core.json.Json.decodeValue(text);
    }

    static Optional<String> string(JsonObject o, String what, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw new MalformedValueException(what + "." + field + ": expected a string, got " + describe(v));
    }

    static Optional<Long> integer(JsonObject o, String what, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Optional.of(n.longValue());
        }
        // Patroni writes a few numbers as strings (e.g. optime/leader); accept digits, nothing else.
        if (v instanceof String s && s.matches("-?\\d+")) {
            return Optional.of(Long.parseLong(s));
        }
        throw new MalformedValueException(what + "." + field + ": expected an integer, got " + describe(v));
    }

    static boolean bool(JsonObject o, String what, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new MalformedValueException(what + "." + field + ": expected true or false, got " + describe(v));
    }

    static Map<String, Object> map(JsonObject o, String what, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof JsonObject m) {
            return immutableCopy(m);
        }
        throw new MalformedValueException(what + "." + field + ": expected an object, got " + describe(v));
    }

    static Map<String, Object> immutableCopy(JsonObject o) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(o.copy().getMap()));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return v.getClass().getSimpleName().toLowerCase() + " " + v;
    }
}
