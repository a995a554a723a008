package io.pgha.dcs.consul;

import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.LeaseGoneException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * KV operations applied together by {@code PUT /v1/txn}
 * (https://developer.hashicorp.com/consul/api-docs/txn): all at one index or none. Consul answers
 * 200 with a result per write (the entry without its value) or 409 naming the operation that failed.
 */
final class Txn {
    private final JsonArray ops = new JsonArray();

    /** What a transaction came to: applied with these results, or refused at {@code failedOp}. */
    record Outcome(boolean applied, JsonArray results, int failedOp, String why) {
        long modifyIndex(int result) {
            return results.getJsonObject(result).getJsonObject("KV").getLong("ModifyIndex");
        }
    }

    Txn op(String verb, String fullKey, String value, long index, String session) {
        JsonObject kv = new JsonObject().put("Verb", verb).put("Key", KvEntry.path(fullKey));
        if (value != null) {
            kv.put("Value", KvEntry.base64(value));
        }
        if (index != 0) {
            kv.put("Index", index);
        }
        if (session != null) {
            kv.put("Session", session);
        }
        ops.add(new JsonObject().put("KV", kv));
        return this;
    }

    Txn op(String verb, String fullKey) {
        return op(verb, fullKey, null, 0, null);
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    Outcome run(ConsulHttp http, String what) {
        ConsulHttp.Answer a = http.call(what, HttpMethod.PUT, "/v1/txn", Map.of(), Buffer.buffer(ops.encode()));
        if (a.ok()) {
            JsonArray results = a.body().toJsonObject().getJsonArray("Results");
            return new Outcome(true, results == null ? new JsonArray() : results, -1, "");
        }
        if (a.status() == 409) {
            JsonObject error = a.body().toJsonObject().getJsonArray("Errors").getJsonObject(0);
            String why = error.getString("What");
            if (why.toLowerCase().contains("invalid session")) {
                throw new LeaseGoneException(what + ": lease not found: Consul says " + why, null);
            }
            return new Outcome(false, new JsonArray(), error.getInteger("OpIndex"), why);
        }
        throw new DcsRejectedException(what + ": Consul answered " + a.status() + " " + a.text(), null);
    }
}
