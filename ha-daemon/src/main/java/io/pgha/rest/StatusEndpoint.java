package io.pgha.rest;

import io.pgha.node.NodeStatus;
import io.vertx.ext.web.Router;

/** {@code GET /patroni} and {@code GET /metrics}: the published status, rendered on the event loop. */
final class StatusEndpoint {
    private StatusEndpoint() {
    }

    static void mount(Router router, RestContext ctx) {
        router.get("/patroni").handler(rc -> {
            NodeStatus s = ctx.status().get();
            (s == null ? Reply.text(503, "no HA cycle has completed yet") : Reply.json(200, StatusJson.render(s, ctx.clock().nanos()))).send(rc);
        });
        router.get("/metrics").handler(rc -> {
            NodeStatus s = ctx.status().get();
            if (s == null) {
                Reply.text(503, "no HA cycle has completed yet").send(rc);
                return;
            }
            new Reply(200, MetricsText.CONTENT_TYPE, MetricsText.render(s, ctx.clock().nanos())).send(rc);
        });
    }
}
