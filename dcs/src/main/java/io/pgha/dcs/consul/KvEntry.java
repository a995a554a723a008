package io.pgha.dcs.consul;

import io.pgha.dcs.model.RawEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One KV entry as Consul's {@code /v1/kv} answers it
 * (https://developer.hashicorp.com/consul/api-docs/kv#read-key): {@code Key} without the leading
 * slash, {@code Value} in base64 (null for an empty value), {@code ModifyIndex} as the CAS version,
 * {@code Session} while a session holds the lock. {@code key} here is the full path with the slash,
 * as {@link io.pgha.dcs.model.KeyLayout} writes it.
 */
record KvEntry(String key, String value, long modifyIndex, Optional<String> session) {

    static List<KvEntry> list(Buffer body) {
        List<KvEntry> out = new ArrayList<>();
        if (body == null || body.length() == 0) {
            return out;
        }
        JsonArray array = body.toJsonArray();
        for (int i = 0; i < array.size(); i++) {
            out.add(of(array.getJsonObject(i)));
        }
        return out;
    }

    static KvEntry of(JsonObject o) {
        String encoded = o.getString("Value");
        String value = encoded == null ? "" : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        String session = o.getString("Session");
        return new KvEntry("/" + o.getString("Key"), value, o.getLong("ModifyIndex"),
                session == null || session.isEmpty() ? Optional.empty() : Optional.of(session));
    }

    RawEntry raw() {
        return new RawEntry(key, value, modifyIndex, session.map(KvEntry::leaseId).orElse(0L));
    }

    boolean heldBy(String sessionId) {
        return session.filter(sessionId::equals).isPresent();
    }

    /** A session ID as the contract's lease ID: the UUID's high 64 bits, the same on every client. */
    static long leaseId(String sessionId) {
        return UUID.fromString(sessionId).getMostSignificantBits();
    }

    /** Consul keys have no leading slash; ours do. */
    static String path(String fullKey) {
        return fullKey.startsWith("/") ? fullKey.substring(1) : fullKey;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
