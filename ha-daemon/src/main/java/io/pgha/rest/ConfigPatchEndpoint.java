package io.pgha.rest;

import io.pgha.config.ConfigProblem;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.Versioned;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code PATCH /config}: a JSON merge patch onto the DCS {@code config} key. The result is checked
 * as the daemons will read it and written only if valid, with compare-and-swap on the version read,
 * so two concurrent editors cannot silently overwrite each other: the loser gets 409 and re-reads.
 */
final class ConfigPatchEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ConfigPatchEndpoint.class);

    private final RestContext ctx;

    private ConfigPatchEndpoint(RestContext ctx) {
        this.ctx = ctx;
    }

    /** Behind {@link AccessControl} and the body limit, which the router puts in front of every unsafe method. */
    static void mount(Router router, Vertx vertx, RestContext ctx) {
        ConfigPatchEndpoint e = new ConfigPatchEndpoint(ctx);
        router.patch("/config").handler(rc -> e.handle(rc, vertx, false));
        router.put("/config").handler(rc -> e.handle(rc, vertx, true));
    }

    private void handle(RoutingContext rc, Vertx vertx, boolean replace) {
        JsonObject body;
        try {
            body = body(rc);
        } catch (RestException bad) {
            Reply.of(bad).send(rc);
            return;
        }
        String client = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
        Blocking.reply(vertx, rc, () -> apply(body, client, replace));
    }

    /** Parsed on the event loop: the body is already in memory and bounded by the body limit. */
    static JsonObject body(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type != null) {
            String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!media.equals("application/json") && !media.equals("application/merge-patch+json")) {
                throw new RestException(415, "send the patch as Content-Type: application/json, not " + media);
            }
        }
        return Bodies.object(rc, false);
    }

    /** {@code replace}: PUT, the body is the whole new config; otherwise PATCH, a merge patch onto it. */
    Reply apply(JsonObject patch, String client, boolean replace) {
        Optional<Versioned<String>> current = ctx.dcs().read(Consistency.LINEARIZABLE).config();
        if (current.isEmpty()) {
            return Reply.text(503, "the DCS has no config key to patch (cluster not bootstrapped yet?)");
        }
        JsonObject merged = replace ? patch : MergePatch.apply(new JsonObject(current.get().value()), patch);
        List<ConfigProblem> problems = ConfigChange.problems(merged, patch);
        if (!problems.isEmpty()) {
            log.warn("{} /config from {} rejected: {}", replace ? "PUT" : "PATCH", client, problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
            return Reply.text(400, "config not changed:\n" + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        }
        CasResult result = ctx.dcs().write(ClusterKey.CONFIG, merged.encode(), Expect.version(current.get().version()));
        if (result instanceof CasResult.Conflict conflict) {
            log.info("{} /config from {} lost a race: config changed from version {} to {} meanwhile",
                    replace ? "PUT" : "PATCH", client, current.get().version(), conflict.currentVersion());
            return Reply.text(409, "config changed since it was read (version " + current.get().version() + " → "
                    + conflict.currentVersion() + "); nothing written, read it again and retry");
        }
        log.info("{} /config from {}: config version {} → {}", replace ? "PUT" : "PATCH", client, current.get().version(), ((CasResult.Written) result).version());
        try {
            ctx.wakeUp().run();
        } catch (RuntimeException e) {
            log.warn("config written, but waking the HA loop failed: {}", e.toString());
        }
        return new Reply(200, Reply.JSON, merged.encode());
    }
}
