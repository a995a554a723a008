package io.pgha.cli;

import io.pgha.config.PghaConfig;
import io.pgha.daemon.Peers;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.MonotonicClock;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;
import io.pgha.rest.PeerClient;
import io.pgha.rest.RestApi;
import io.pgha.rest.RestContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Connects the daemon to its REST API and peer client; the daemon itself knows neither Vert.x nor HTTP. */
final class RestWiring {
    private RestWiring() {
    }

    static Peers peers() {
        PeerClient client = new PeerClient();
        return client::ask;
    }

    static AutoCloseable start(PghaConfig config, AtomicReference<NodeStatus> status, Dcs dcs, MonotonicClock clock, Runnable wakeUp,
                               OperatorRequests requests, OperationLog operations) {
        // Two event loops and a small worker pool: the API serves health checks, not traffic.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4).setInternalBlockingPoolSize(2));
        RestApi api;
        try {
            api = RestApi.start(vertx, config.restapi(), new RestContext(status::get, dcs, clock, wakeUp, requests, operations));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        return () -> {
            api.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        };
    }
}
