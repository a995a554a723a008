package io.pgha.rest;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP answer as a value, so endpoint logic can be computed off the event loop (and tested)
 * without touching Vert.x, and sent in one place.
 *
 * @param body null for a status-only answer
 */
record Reply(int status, String contentType, String body) {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    static Reply json(int status, Object encodable) {
        return new Reply(status, JSON, Json.encode(encodable));
    }

    /** A one-line (or one-line-per-problem) message for people and scripts; ends with a newline so curl output is tidy. */
    static Reply text(int status, String message) {
        return new Reply(status, TEXT, message.endsWith("\n") ? message : message + "\n");
    }

    /** Status line only: what HAProxy's HEAD/OPTIONS checks and the liveness/readiness probes get. */
    static Reply statusOnly(int status) {
        return new Reply(status, null, null);
    }

    static Reply of(RestException e) {
        return text(e.status(), e.getMessage());
    }

    void send(RoutingContext rc) {
        send(rc.response());
    }

    void send(HttpServerResponse response) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        if (body == null) {
            response.end();
            return;
        }
        response.putHeader("Content-Type", contentType).end(body);
    }
}
