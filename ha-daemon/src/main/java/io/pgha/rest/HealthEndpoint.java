package io.pgha.rest;

import io.pgha.node.NodeStatus;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The health paths for GET, HEAD and OPTIONS. HAProxy checks with OPTIONS or HEAD and reads only
 * the status, so those get a status line and no body; GET adds the /patroni document for people.
 * Everything is computed from the published status on the event loop: no I/O, no waiting.
 */
final class HealthEndpoint {
    private final RestContext ctx;

    private HealthEndpoint(RestContext ctx) {
        this.ctx = ctx;
    }

    static void mount(Router router, RestContext ctx) {
        HealthEndpoint e = new HealthEndpoint(ctx);
        for (HealthCheck check : HealthCheck.values()) {
            for (String path : check.paths()) {
                router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).method(HttpMethod.OPTIONS)
                        .handler(rc -> e.answer(check, rc));
            }
        }
    }

    private void answer(HealthCheck check, RoutingContext rc) {
        boolean withBody = rc.request().method() == HttpMethod.GET && check.bodyOnGet();
        reply(check, rc, withBody).send(rc);
    }

    private Reply reply(HealthCheck check, RoutingContext rc, boolean withBody) {
        NodeStatus s = ctx.status().get();
        if (s == null) {
            return withBody ? Reply.text(503, "no HA cycle has completed yet") : Reply.statusOnly(503);
        }
        HealthQuery q;
        try {
            q = HealthQuery.parse(rc.queryParams());
        } catch (RestException bad) {
            return withBody || rc.request().method() == HttpMethod.GET ? Reply.of(bad) : Reply.statusOnly(bad.status());
        }
        long now = ctx.clock().nanos();
        int code = HealthRules.passes(check, s, q, now) ? 200 : 503;
        return withBody ? Reply.json(code, StatusJson.render(s, now)) : Reply.statusOnly(code);
    }
}
