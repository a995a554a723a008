package io.pgha.rest;

import io.pgha.ha.OperatorRequest;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperatorRequests;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST/DELETE /restart}, {@code POST /reinitialize}, {@code POST /reload}: checked here
 * against the node's last status, then queued for the HA loop, which carries them out between two
 * cycles so they never race an HA action. Codes and messages follow Patroni.
 */
final class CommandEndpoints {
    private static final Logger log = LoggerFactory.getLogger(CommandEndpoints.class);
    private static final Set<String> RESTART_KEYS = Set.of("schedule", "role", "postgres_version", "timeout", "restart_pending");

    private final RestContext ctx;

    private CommandEndpoints(RestContext ctx) {
        this.ctx = ctx;
    }

    static void mount(Router router, Vertx vertx, RestContext ctx) {
        CommandEndpoints e = new CommandEndpoints(ctx);
        router.post("/restart").handler(rc -> SwitchoverEndpoint.withBody(rc, vertx, e::restart));
        router.delete("/restart").handler(rc -> Blocking.reply(vertx, rc, e::cancelRestart));
        router.post("/reinitialize").handler(rc -> SwitchoverEndpoint.withBody(rc, vertx, e::reinitialize));
        router.post("/reload").handler(rc -> SwitchoverEndpoint.withBody(rc, vertx, e::reload));
    }

    Reply restart(JsonObject body) throws InterruptedException {
        Bodies.onlyKeys(body, RESTART_KEYS);
        Optional<String> role = Bodies.string(body, "role");
        if (role.isPresent() && !Set.of("primary", "master", "replica", "standby_leader").contains(role.get())) {
            throw new RestException(400, "role: expected primary or replica, got \"" + role.get() + "\"");
        }
        boolean pendingOnly = Bodies.bool(body, "restart_pending");
        Optional<Integer> belowVersion = Bodies.string(body, "postgres_version").map(CommandEndpoints::versionNum);
        Optional<Instant> at = Bodies.string(body, "schedule").map(CommandEndpoints::schedule);
        NodeStatus s = ctx.status().get();
        if (s == null || !s.pg().running()) {
            return Reply.text(503, "restart conditions are not satisfied: PostgreSQL is not running");
        }
        if (at.isPresent() && s.paused()) {
            throw new RestException(400, "cannot schedule a restart while the cluster is paused");
        }
        String mine = s.pg().runsAsPrimary() ? "primary" : "replica";
        if (role.isPresent() && !role.get().replace("master", "primary").replace("standby_leader", "primary").equals(mine)) {
            return Reply.text(503, "restart conditions are not satisfied: role is " + mine + ", not " + role.get());
        }
        if (pendingOnly && !s.pg().pendingRestart()) {
            return Reply.text(503, "restart conditions are not satisfied: no restart is pending");
        }
        if (belowVersion.isPresent() && s.pg().serverVersion() >= belowVersion.get()) {
            return Reply.text(503, "restart conditions are not satisfied: server version " + s.pg().serverVersion()
                    + " is not below " + belowVersion.get());
        }
        Optional<CompletableFuture<OperatorRequests.Outcome>> queued = ctx.requests().submit(new OperatorRequest.Restart(), at);
        if (queued.isEmpty()) {
            return Reply.text(409, "another restart or operator request is already pending on this node");
        }
        if (at.isPresent()) {
            log.info("restart scheduled for {}", at.get());
            ctx.wakeUp().run();
            return Reply.text(202, "Restart scheduled");
        }
        return await(queued.get(), 60, "restarted successfully");
    }

    private Reply cancelRestart() {
        return ctx.requests().cancelScheduled("restart") ? Reply.text(200, "scheduled restart deleted")
                : Reply.text(404, "no restart is scheduled");
    }

    Reply reinitialize(JsonObject body) throws InterruptedException {
        Bodies.onlyKeys(body, Set.of("force", "from_leader"));
        Bodies.bool(body, "force");
        Bodies.bool(body, "from_leader");
        NodeStatus s = ctx.status().get();
        if (s != null && s.holdsLeaderKey()) {
            return Reply.text(503, "I am the leader, can not reinitialize");
        }
        if (s == null || s.cluster().flatMap(c -> c.leaderName()).isEmpty()) {
            return Reply.text(503, "Cluster has no leader, can not reinitialize");
        }
        Optional<CompletableFuture<OperatorRequests.Outcome>> queued = ctx.requests().submit(new OperatorRequest.Reinitialize(), Optional.empty());
        if (queued.isEmpty()) {
            return Reply.text(503, "another operator request is already in progress on this node");
        }
        return await(queued.get(), 30, "reinitialize started");
    }

    Reply reload(JsonObject body) {
        Bodies.onlyKeys(body, Set.of());
        if (ctx.requests().submit(new OperatorRequest.Reload(), Optional.empty()).isEmpty()) {
            return Reply.text(503, "another operator request is already in progress on this node");
        }
        ctx.wakeUp().run();
        return Reply.text(202, "reload scheduled");
    }

    private Reply await(CompletableFuture<OperatorRequests.Outcome> outcome, int seconds, String success) throws InterruptedException {
        ctx.wakeUp().run();
        try {
            OperatorRequests.Outcome o = outcome.get(seconds, TimeUnit.SECONDS);
            return o.done() ? Reply.text(200, success) : Reply.text(503, o.message());
        } catch (TimeoutException e) {
            return Reply.text(503, "no outcome after " + seconds + " seconds; the request is still queued (see the node's log)");
        } catch (ExecutionException e) {
            return Reply.text(503, "failed: " + e.getCause());
        }
    }

    private static Instant schedule(String text) {
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new RestException(422, "schedule: expected ISO 8601 with a time zone, like 2026-11-22T12:00:00+00:00; got \"" + text + "\"");
        }
        if (t.toInstant().isBefore(Instant.now())) {
            throw new RestException(422, "schedule: " + text + " is in the past");
        }
        return t.toInstant();
    }

    /** "15.4" → 150004, "15" → 150000: PostgreSQL's server_version_num. */
    private static int versionNum(String text) {
        String[] parts = text.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major * 10000 + minor;
        } catch (NumberFormatException e) {
            throw new RestException(400, "postgres_version: expected a version like 15.4, got \"" + text + "\"");
        }
    }
}
