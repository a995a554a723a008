package io.pgha.rest;

import io.pgha.config.RestApiConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the routes. Every unsafe method passes {@link AccessControl} and then a bounded body
 * reader before any endpoint sees it, so a new command endpoint ({@code POST /switchover},
 * {@code /restart}, {@code PUT /config} …) only mounts its own route here and inherits both.
 */
final class RestRouter {
    private static final Logger log = LoggerFactory.getLogger(RestRouter.class);
    static final int BODY_LIMIT = 64 * 1024;

    private RestRouter() {
    }

    /** Resolves allowlist host names (blocking): call it off the event loop. */
    static Router create(Vertx vertx, RestApiConfig config, RestContext ctx) {
        Router router = Router.router(vertx);
        // Two routes because Vert.x wants a body handler first on its route; access control is
        // synchronous, so nothing of the body is lost before the second route reads it.
        unsafe(router).handler(AccessControl.from(config, () -> ctx.status().get().cluster()));
        unsafe(router).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));

        HealthEndpoint.mount(router, ctx);
        StatusEndpoint.mount(router, ctx);
        ClusterEndpoint.mount(router, vertx, ctx);
        ConfigPatchEndpoint.mount(router, vertx, ctx);
        SwitchoverEndpoint.mount(router, vertx, ctx);
        CommandEndpoints.mount(router, vertx, ctx);
        FailsafeEndpoint.mount(router, ctx);

        router.errorHandler(404, rc -> error(rc, 404, "no such endpoint: " + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(405, rc -> {
            // The access-control routes match every path for unsafe methods, which makes Vert.x
            // call a miss on an unknown path "method not allowed"; it is a plain 404.
            String path = rc.request().path();
            boolean known = router.getRoutes().stream().anyMatch(r -> path.equals(r.getPath()));
            if (known) {
                error(rc, 405, rc.request().method() + " is not supported on " + path);
            } else {
                error(rc, 404, "no such endpoint: " + rc.request().method() + " " + path);
            }
        });
        router.errorHandler(413, rc -> error(rc, 413, "request body larger than " + BODY_LIMIT + " bytes"));
        router.errorHandler(400, rc -> error(rc, 400, "bad request"));
        router.errorHandler(500, rc -> {
            log.error("REST {} {} failed: {}", rc.request().method(), rc.request().path(), String.valueOf(rc.failure()), rc.failure());
            error(rc, 500, "internal error (see the node's log)");
        });
        return router;
    }

    private static Route unsafe(Router router) {
        return router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE);
    }

    /** HEAD and OPTIONS get the status line only, whatever the outcome: their callers parse nothing else. */
    private static void error(RoutingContext rc, int status, String message) {
        HttpMethod m = rc.request().method();
        (m == HttpMethod.HEAD || m == HttpMethod.OPTIONS ? Reply.statusOnly(status) : Reply.text(status, message)).send(rc);
    }
}
