package io.pgha.rest;

import io.pgha.config.DynamicConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.FailoverRequest;
import io.pgha.ha.Candidates;
import io.pgha.node.OperationLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /switchover}, {@code POST /failover}, {@code DELETE /switchover} (Patroni's codes and
 * messages) and {@code GET /operation}. A request is checked against the DCS, then written as the
 * {@code failover} key; the leader's HA loop, woken by the watch, carries it out. An immediate
 * request is answered once the candidate leads as primary, so the caller learns the outcome rather
 * than "status unknown"; the phases are in {@code GET /operation} on the leader meanwhile.
 */
final class SwitchoverEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SwitchoverEndpoint.class);
    private static final Set<String> KEYS = Set.of("leader", "candidate", "member", "scheduled_at");

    private final RestContext ctx;

    private SwitchoverEndpoint(RestContext ctx) {
        this.ctx = ctx;
    }

    static void mount(Router router, Vertx vertx, RestContext ctx) {
        SwitchoverEndpoint e = new SwitchoverEndpoint(ctx);
        router.post("/switchover").handler(rc -> withBody(rc, vertx, body -> e.request(body, false)));
        router.post("/failover").handler(rc -> withBody(rc, vertx, body -> e.request(body, true)));
        router.delete("/switchover").handler(rc -> Blocking.reply(vertx, rc, e::cancel));
        router.get("/operation").handler(rc -> e.operation().send(rc));
    }

    interface Work {
        Reply on(JsonObject body) throws Exception;
    }

    static void withBody(RoutingContext rc, Vertx vertx, Work work) {
        JsonObject body;
        try {
            body = Bodies.object(rc, true);
        } catch (RestException bad) {
            Reply.of(bad).send(rc);
            return;
        }
        Blocking.reply(vertx, rc, () -> work.on(body));
    }

    Reply request(JsonObject body, boolean failover) throws InterruptedException {
        Bodies.onlyKeys(body, KEYS);
        Optional<String> leader = Bodies.string(body, "leader");
        Optional<String> candidate = Bodies.string(body, "candidate").or(() -> Bodies.string(body, "member"));
        Optional<OffsetDateTime> at = Bodies.string(body, "scheduled_at").map(SwitchoverEndpoint::time);
        boolean switchover = !failover || leader.isPresent();
        String kind = switchover ? "switchover" : "failover";
        String Kind = switchover ? "Switchover" : "Failover";
        if (failover && candidate.isEmpty()) {
            throw new RestException(400, "Failover could be performed only to a specific candidate");
        }
        if (!failover && leader.isEmpty()) {
            throw new RestException(400, "Switchover could be performed only from a specific leader");
        }
        if (failover && at.isPresent()) {
            throw new RestException(400, "Failover cannot be scheduled; use a switchover");
        }
        if (candidate.isPresent() && candidate.equals(leader)) {
            throw new RestException(400, "Switchover target and source are the same");
        }
        Cluster cluster = ctx.dcs().read(Consistency.LINEARIZABLE);
        boolean paused = ClusterJson.paused(cluster);
        if (at.isPresent()) {
            if (paused) {
                throw new RestException(400, "Can't schedule switchover in the paused state");
            }
            if (at.get().toInstant().isBefore(Instant.now())) {
                throw new RestException(422, "Can't schedule switchover in the past: " + at.get());
            }
        }
        if (paused && candidate.isEmpty()) {
            throw new RestException(400, "Switchover is possible only to a specific candidate in a paused state");
        }
        if (leader.isPresent() && !cluster.leaderName().equals(leader)) {
            throw new RestException(412, "leader name does not match: the leader is "
                    + cluster.leaderName().map(l -> "\"" + l + "\"").orElse("nobody"));
        }
        Optional<String> target = candidate;
        if (candidate.isPresent()) {
            boolean leaderless = failover && cluster.leaderName().isEmpty();
            Optional<String> unfit = leaderless
                    ? cluster.member(candidate.get()).isPresent() ? Optional.empty() : Optional.of(candidate.get() + " is not a member of the cluster")
                    : Candidates.unfit(cluster, candidate.get()).or(() -> tooFarBehind(cluster, candidate.get()));
            if (unfit.isPresent() && !leaderless && Candidates.unfit(cluster, candidate.get()).isEmpty()) {
                // Positions are published once per loop_wait, the leader's and the candidate's at
                // different moments: give the candidate's one publication to catch up before refusing.
                unfit = laterLag(candidate.get(), unfit.get());
            }
            if (unfit.isPresent()) {
                throw new RestException(412, kind + " is not possible: " + unfit.get());
            }
        } else {
            target = Candidates.best(cluster, leader.orElse(""));
            if (target.isEmpty()) {
                throw new RestException(412, kind + " is not possible: no good candidates have been found");
            }
        }
        if (!cluster.failoverRequest().isEmpty()) {
            throw new RestException(409, "another switchover or failover is already requested: " + cluster.failoverRequest().toJson());
        }
        // The chosen candidate is named in the key: it must know it was picked, and the others that it was not.
        FailoverRequest request = new FailoverRequest(leader, target, at);
        CasResult written = ctx.dcs().write(ClusterKey.FAILOVER, request.toJson(),
                cluster.failover().map(v -> Expect.version(v.version())).orElse(Expect.absent()));
        if (!(written instanceof CasResult.Written)) {
            throw new RestException(409, "the failover key changed meanwhile; nothing written, try again");
        }
        log.info("{} to {} requested{}", kind, target.get(), at.map(t -> " for " + t).orElse(""));
        if (at.isPresent()) {
            return Reply.text(202, Kind + " scheduled");
        }
        String from = cluster.leaderName().orElse("");
        ctx.operations().begin(kind, from, target.get());
        ctx.wakeUp().run();
        return awaitOutcome(kind, from, candidate);
    }

    /** Polls the DCS until someone other than {@code from} leads (as primary, or standby leader), the request vanishes unfulfilled, or time is up. */
    private Reply awaitOutcome(String kind, String from, Optional<String> candidate) throws InterruptedException {
        Duration limit = Duration.ofSeconds(2L * Math.max(10, loopWaitSeconds()));
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50); // a DCS change made by another node: polled, as Patroni does, only 20 times faster
            Cluster now = ctx.dcs().read(Consistency.LINEARIZABLE);
            Optional<String> leader = now.leaderName().filter(l -> !l.equals(from));
            Optional<String> as = leader.flatMap(now::leadsAs);
            if (as.isPresent()) {
                ctx.operations().phase(kind, "promoted", leader.get() + " leads as " + as.get());
                String verb = kind.equals("failover") ? "failed" : "switched";
                String text = candidate.isEmpty() || candidate.get().equals(leader.get())
                        ? "Successfully " + verb + " over to \"" + leader.get() + "\""
                        : verb.substring(0, 1).toUpperCase() + verb.substring(1) + " over to \"" + leader.get() + "\" instead of \"" + candidate.get() + "\"";
                ctx.operations().finish(kind, true, text);
                return Reply.text(200, text);
            }
            if (now.failoverRequest().isEmpty() && now.leaderName().equals(Optional.of(from)) && !from.isEmpty()) {
                String why = ctx.operations().current().filter(op -> op.state() == OperationLog.State.FAILED)
                        .map(OperationLog.Operation::result).orElse("the leader dropped the request; see its log or GET /operation on it");
                ctx.operations().finish(kind, false, why);
                return Reply.text(503, capital(kind) + " failed: " + why);
            }
        }
        ctx.operations().finish(kind, false, "status unknown after " + limit.toSeconds() + " seconds");
        return Reply.text(503, capital(kind) + " status unknown after " + limit.toSeconds() + " seconds");
    }

    private Optional<String> laterLag(String candidate, String first) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(loopWaitSeconds() + 1).toNanos();
        String why = first;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100); // published positions change once per loop_wait; nothing to wait on but the clock
            Cluster now = ctx.dcs().read(Consistency.LINEARIZABLE);
            Optional<String> lag = tooFarBehind(now, candidate);
            if (lag.isEmpty()) {
                return Optional.empty();
            }
            why = lag.get();
        }
        return Optional.of(why);
    }

    /** A candidate is caught up when its published replay position is within maximum_lag_on_failover of the leader's. */
    private static Optional<String> tooFarBehind(Cluster cluster, String candidate) {
        long leaderAt = cluster.leaderName().flatMap(cluster::member).flatMap(m -> m.data().xlogLocation()).orElse(cluster.optime());
        // Replayed, not received: a candidate promotes only once it has replayed what it received,
        // so one with replay paused or far behind would make the switchover long.
        long at = cluster.member(candidate).flatMap(m -> m.data().replayLsn().or(() -> m.data().xlogLocation())).orElse(0L);
        long limit = 1_048_576L;
        try {
            limit = cluster.config().map(v -> DynamicConfig.fromJson(v.value()).maximumLagOnFailover()).orElse(limit);
        } catch (RuntimeException e) {
            // an unreadable config key is reported by the daemons; judge with the default here
        }
        long lag = leaderAt - at;
        return lag > limit ? Optional.of(candidate + " is " + lag + " bytes behind the leader, more than maximum_lag_on_failover " + limit)
                : Optional.empty();
    }

    private Reply cancel() {
        Cluster cluster = ctx.dcs().read(Consistency.LINEARIZABLE);
        if (cluster.failover().isEmpty() || cluster.failoverRequest().scheduledAt().isEmpty()) {
            return Reply.text(404, "no switchover is scheduled");
        }
        CasResult r = ctx.dcs().delete(ClusterKey.FAILOVER, Expect.version(cluster.failover().get().version()));
        if (!(r instanceof CasResult.Written)) {
            return Reply.text(409, "the scheduled switchover changed meanwhile; nothing deleted");
        }
        log.info("scheduled switchover {} cancelled", cluster.failoverRequest().toJson());
        return Reply.text(200, "scheduled switchover deleted");
    }

    private Reply operation() {
        return ctx.operations().current().map(op -> Reply.json(200, OperationJson.of(op)))
                .orElseGet(() -> Reply.text(404, "no operation has run on this node since it started"));
    }

    private long loopWaitSeconds() {
        return Optional.ofNullable(ctx.status().get()).map(s -> s.loopWait().toSeconds()).orElse(10L);
    }

    private static OffsetDateTime time(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new RestException(400, "scheduled_at: expected ISO 8601 with a time zone, like 2026-11-22T12:00:00+00:00; got \"" + text + "\"");
        }
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
