package io.pgha.rest;

import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Patroni's failsafe endpoints. {@code POST /failsafe} is how a primary that lost the DCS asks this
 * member to acknowledge it as leader: accepted, this node does not race for the leader key for ttl
 * (the HA loop reads {@link RestContext#failsafeAcks()}). {@code GET /failsafe} shows the
 * {@code failsafe} key. Both answer from memory on the event loop; the POST passes access control
 * (allowlist, Basic auth) like every write.
 */
final class FailsafeEndpoint {
    private static final Logger log = LoggerFactory.getLogger(FailsafeEndpoint.class);
    private static final Set<String> KEYS = Set.of("name", "conn_url", "api_url", "slots");

    private final RestContext ctx;

    private FailsafeEndpoint(RestContext ctx) {
        this.ctx = ctx;
    }

    static void mount(Router router, RestContext ctx) {
        FailsafeEndpoint e = new FailsafeEndpoint(ctx);
        router.get("/failsafe").handler(rc -> e.members().send(rc));
        router.post("/failsafe").handler(rc -> {
            Reply reply;
            try {
                reply = e.acknowledge(Bodies.object(rc, false));
            } catch (RestException bad) {
                reply = Reply.of(bad);
            }
            if (reply.status() == 200) {
                NodeStatus s = ctx.status().get();
                long lsn = s == null ? 0 : position(s.pg());
                if (lsn > 0) {
                    rc.response().putHeader("lsn", Long.toString(lsn));
                }
            }
            reply.send(rc);
        });
    }

    Reply members() {
        NodeStatus s = ctx.status().get();
        if (s == null || !s.failsafe().enabled()) {
            return Reply.text(502, "failsafe mode is not enabled");
        }
        if (s.failsafe().members().isEmpty()) {
            return Reply.text(502, "the failsafe key is not set");
        }
        return Reply.json(200, new JsonObject(new LinkedHashMap<>(s.failsafe().members())));
    }

    /** Patroni's answers: 502 failsafe off, 500 "Running as a leader", 200 "Accepted". */
    Reply acknowledge(JsonObject body) {
        Bodies.onlyKeys(body, KEYS);
        String leader = Bodies.string(body, "name").orElseThrow(() -> new RestException(400, "name: the leader's member name is required"));
        Bodies.string(body, "conn_url");
        Bodies.string(body, "api_url");
        Object slots = body.getValue("slots");
        if (slots != null && !(slots instanceof JsonObject)) {
            throw new RestException(400, "slots: expected an object, got " + slots);
        }
        NodeStatus s = ctx.status().get();
        if (s == null || !s.failsafe().enabled()) {
            return Reply.text(502, "failsafe mode is not enabled");
        }
        if (s.pg().runsAsPrimary()) {
            log.warn("POST /failsafe from {} refused: this node runs as primary", leader);
            return Reply.text(500, "Running as a leader");
        }
        ctx.failsafeAcks().record(leader, ctx.clock().nanos());
        log.debug("acknowledged {} as leader (failsafe); not racing for ttl", leader);
        return Reply.text(200, "Accepted");
    }

    /** What the primary may advance slots to: the furthest this replica has received or replayed. */
    private static long position(PgSnapshot pg) {
        return pg.runsAsReplica() ? Math.max(pg.receiveLsn(), pg.replayLsn()) : 0;
    }
}
