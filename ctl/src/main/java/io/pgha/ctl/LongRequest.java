package io.pgha.ctl;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * A request to one member whose answer comes when the operation is over (switchover, failover,
 * restart, reinit), with its phases printed as they happen; the answer and the operation as the
 * member recorded it are kept for the command's output.
 */
record LongRequest(RestAnswer answer, Optional<Operation> operation) {
    /** Switchover blocks up to about 2×ttl on the daemon, restart up to pg_ctl_timeout: be generous. */
    static final Duration WAIT = Duration.ofMinutes(5);

    static LongRequest send(RestClient rest, String apiUrl, String path, JsonObject body, PrintWriter progress)
            throws InterruptedException {
        OperationWatch watch = new OperationWatch(rest, apiUrl, progress).baseline();
        RestAnswer answer = Followed.run(() -> rest.send("POST", apiUrl, path, Optional.of(body), WAIT), watch);
        return new LongRequest(answer, watch.operation());
    }

    /**
     * The end of a switchover or failover: refused answers become the command's error; otherwise the
     * member's answer and the cluster as it is now, as text or as one JSON document.
     */
    void report(String what, ClusterView after, boolean json, PrintWriter out) {
        Answers.require(answer, what);
        if (json) {
            out.println(toJson().put("cluster", after.toJson()).encode());
        } else {
            out.println(answer.reason());
            ClusterTable.printList(after, out);
        }
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("status", answer.status())
                .put("result", answer.body() == null ? "" : answer.body().strip())
                .put("operation", operation.map(Operation::raw).orElse(null));
    }
}
