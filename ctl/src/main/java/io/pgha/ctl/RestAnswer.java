package io.pgha.ctl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/** A member's HTTP answer: the status and the body as text. */
record RestAnswer(int status, String body) {
    boolean ok() {
        return status / 100 == 2;
    }

    /** The body as a JSON object, empty when it is not one. */
    Optional<JsonObject> json() {
        try {
            Object v = Json.decodeValue(body);
            return v instanceof JsonObject o ? Optional.of(o) : Optional.empty();
        } catch (DecodeException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The body as one line for a message: the daemon answers errors in plain text. */
    String reason() {
        String b = body == null ? "" : body.strip().replaceAll("\\s*\\n\\s*", "; ");
        return b.isEmpty() ? "HTTP " + status : b;
    }
}
