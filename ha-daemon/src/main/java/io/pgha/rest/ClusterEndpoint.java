package io.pgha.rest;

import io.pgha.dcs.Consistency;
import io.pgha.dcs.model.Cluster;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * {@code GET /cluster}, {@code /history} and {@code /config}: each a fresh, linearizable DCS read on a
 * worker thread, so the answer is the cluster's state now, not this node's last cycle.
 */
final class ClusterEndpoint {
    private ClusterEndpoint() {
    }

    static void mount(Router router, Vertx vertx, RestContext ctx) {
        router.get("/cluster").handler(rc -> Blocking.reply(vertx, rc,
                () -> Reply.json(200, ClusterJson.cluster(read(ctx), ctx.dcs().layout().scope()))));
        router.get("/history").handler(rc -> Blocking.reply(vertx, rc,
                () -> Reply.json(200, ClusterJson.history(read(ctx)))));
        router.get("/config").handler(rc -> Blocking.reply(vertx, rc, () -> read(ctx).config()
                .map(c -> new Reply(200, Reply.JSON, c.value()))
                .orElseGet(() -> Reply.text(502, "the DCS has no config key (cluster not bootstrapped yet?)"))));
    }

    private static Cluster read(RestContext ctx) {
        return ctx.dcs().read(Consistency.LINEARIZABLE);
    }
}
