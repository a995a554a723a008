package io.pgha.rest;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections whose request does not arrive whole within {@link RestLimits#requestDeadline()}.
 * A sweep looks at every open connection twice a second rather than hooking response handlers,
 * which Vert.x Web owns; a deadline is therefore kept to within half a second.
 *
 * <p>Vert.x 5 reports an HTTP/1 connection only when its first request's headers are decoded, so
 * before that request only the idle timeout and the header size limit bound a client; from then on
 * every request and body on the connection has the deadline.
 */
final class SlowClients {
    private static final Logger log = LoggerFactory.getLogger(SlowClients.class);
    private static final long SWEEP_MS = 500;

    private final Vertx vertx;
    private final long deadlineNanos;
    private final Map<HttpConnection, Waiting> open = new ConcurrentHashMap<>();
    private long timer = -1;

    /** What a connection is waiting for, and since when (System.nanoTime). */
    private record Waiting(HttpServerRequest request, long since) {
    }

    SlowClients(Vertx vertx, RestLimits limits) {
        this.vertx = vertx;
        this.deadlineNanos = limits.requestDeadline().toNanos();
    }

    Handler<HttpConnection> onConnection() {
        return conn -> {
            open.put(conn, new Waiting(null, System.nanoTime()));
            conn.closeHandler(v -> open.remove(conn));
        };
    }

    /** Wraps the router: notes each request as it begins. */
    Handler<HttpServerRequest> onRequest(Handler<HttpServerRequest> next) {
        return req -> {
            HttpConnection conn = req.connection();
            if (conn != null) {
                open.replace(conn, new Waiting(req, System.nanoTime()));
            }
            next.handle(req);
        };
    }

    void start() {
        timer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Vert.x's {@code close()} is a graceful shutdown, which on HTTP/1 waits for the half-received
     * request it is meant to cut off; the channel underneath is closed at once.
     */
    private static void closeNow(HttpConnection conn) {
        if (conn instanceof ConnectionBase base) {
            base.channel().close();
        } else {
            conn.close();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((conn, w) -> {
            HttpServerRequest req = w.request();
            if (req != null && req.isEnded()) {
                if (req.response().ended()) {
                    // Answered: the next request on this kept-alive connection gets its own deadline.
                    open.replace(conn, w, new Waiting(null, now));
                }
                return; // read whole; the endpoint may take its time to answer (a switchover waits)
            }
            if (now - w.since() > deadlineNanos) {
                log.warn("REST closed the connection from {}: {} not complete within {} ms", conn.remoteAddress(),
                        req == null ? "request headers" : "body of " + req.method() + " " + req.path(), deadlineNanos / 1_000_000);
                open.remove(conn);
                closeNow(conn);
            }
        });
    }
}
