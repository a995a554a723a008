package io.pgha.rest;

import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * Runs an endpoint's DCS work on a worker thread and sends its {@link Reply} from the event loop:
 * a DCS round trip may take up to retry_timeout, and an event loop blocked that long would stall
 * every health check HAProxy sends meanwhile.
 */
final class Blocking {
    private static final Logger log = LoggerFactory.getLogger(Blocking.class);

    private Blocking() {
    }

    static void reply(Vertx vertx, RoutingContext rc, Callable<Reply> work) {
        String what = rc.request().method() + " " + rc.request().path(); // read on the event loop, which owns the request
        vertx.executeBlocking(() -> answer(work, what), false)
                .onComplete(done -> {
                    if (done.failed()) { // an Error, which answer() does not catch
                        log.error("REST {} failed: {}", what, done.cause().toString(), done.cause());
                    }
                    (done.succeeded() ? done.result() : Reply.text(500, "internal error (see the node's log)")).send(rc);
                });
    }

    /** The DCS's two failure kinds map to two statuses, because the caller reacts differently: wait, or fix something. */
    static Reply answer(Callable<Reply> work, String what) {
        try {
            return work.call();
        } catch (RestException e) {
            return Reply.of(e);
        } catch (DcsUnavailableException e) {
            log.warn("REST {}: DCS unreachable: {}", what, e.getMessage());
            return Reply.text(503, "DCS unreachable: " + oneLine(e.getMessage()));
        } catch (DcsRejectedException e) {
            log.warn("REST {}: DCS refused the request: {}", what, e.getMessage());
            return Reply.text(502, "DCS refused the request: " + oneLine(e.getMessage()));
        } catch (Exception e) {
            log.error("REST {} failed: {}", what, e.toString(), e);
            return Reply.text(500, "internal error (see the node's log)");
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
