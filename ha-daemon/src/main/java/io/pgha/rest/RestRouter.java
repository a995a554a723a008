package io.pgha.rest;

import io.pgha.config.RestApiConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles the routes: one small class per concern mounts its own paths here. */
final class RestRouter {
    private static final Logger log = LoggerFactory.getLogger(RestRouter.class);

    private RestRouter() {
    }

    static Router create(Vertx vertx, RestApiConfig config, RestContext ctx) {
        Router router = Router.router(vertx);
        HealthEndpoint.mount(router, ctx);
        StatusEndpoint.mount(router, ctx);
        ClusterEndpoint.mount(router, vertx, ctx);

        router.errorHandler(404, rc -> error(rc, 404, "no such endpoint: " + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(405, rc -> {
            // Vert.x calls a miss "method not allowed" when some route matches the path for any
            // method; for a path we do not serve at all it is a plain 404.
            String path = rc.request().path();
            boolean known = router.getRoutes().stream().anyMatch(r -> path.equals(r.getPath()));
            if (known) {
                error(rc, 405, rc.request().method() + " is not supported on " + path);
            } else {
                error(rc, 404, "no such endpoint: " + rc.request().method() + " " + path);
            }
        });
        router.errorHandler(400, rc -> error(rc, 400, "bad request"));
        router.errorHandler(500, rc -> {
            log.error("REST {} {} failed: {}", rc.request().method(), rc.request().path(), String.valueOf(rc.failure()), rc.failure());
            error(rc, 500, "internal error (see the node's log)");
        });
        return router;
    }

    /** HEAD and OPTIONS get the status line only, whatever the outcome: their callers parse nothing else. */
    private static void error(RoutingContext rc, int status, String message) {
        HttpMethod m = rc.request().method();
        (m == HttpMethod.HEAD || m == HttpMethod.OPTIONS ? Reply.statusOnly(status) : Reply.text(status, message)).send(rc);
    }
}
