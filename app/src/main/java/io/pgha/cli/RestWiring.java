package io.pgha.cli;

import io.pgha.config.PghaConfig;
import io.pgha.config.RestApiConfig;
import io.pgha.daemon.Peers;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.MonotonicClock;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.PeerStatus;
import io.pgha.node.FailsafeAcknowledgements;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;
import io.pgha.rest.PeerClient;
import io.pgha.rest.RestApi;
import io.pgha.rest.RestContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Connects the daemon to its REST API and peer client; the daemon itself knows neither Vert.x nor HTTP. */
final class RestWiring {
    /** One Vert.x for the API and the peer client. Two event loops and a small worker pool: the API serves health checks, not traffic. */
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4).setInternalBlockingPoolSize(2));

    Peers peers(RestApiConfig restapi) {
        PeerClient client = PeerClient.forRestApi(vertx, restapi);
        return new Peers() {
            @Override
            public Map<String, PeerStatus> ask(Map<String, String> memberToApiUrl, Duration timeout) {
                return client.ask(memberToApiUrl, timeout);
            }

            @Override
            public Map<String, FailsafeAnswer> confirmFailsafe(Map<String, String> memberToApiUrl, String body,
                                                               Optional<String> authorization, Duration timeout) {
                return client.confirmFailsafe(memberToApiUrl, body, authorization, timeout);
            }
        };
    }

    AutoCloseable start(PghaConfig config, AtomicReference<NodeStatus> status, Dcs dcs, MonotonicClock clock, Runnable wakeUp,
                        OperatorRequests requests, OperationLog operations, FailsafeAcknowledgements failsafeAcks) {
        RestApi api = RestApi.start(vertx, config.restapi(), new RestContext(status::get, dcs, clock, wakeUp, requests, operations,
                failsafeAcks));
        return () -> {
            api.close();
            close();
        };
    }

    /** Also when the daemon never got as far as starting the API. */
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
