package io.pgha.rest;

import io.pgha.config.HostPort;
import io.pgha.config.RestApiConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's HTTP API on {@code restapi.listen} (:8008): Patroni's health paths, node and cluster
 * status, metrics, and the config endpoint. Serves HTTPS when {@code certfile} is set (PEM; the key
 * from {@code keyfile}, or from the certificate file when it holds both).
 *
 * <p>Paths are matched exactly; an unknown path is a 404 with a one-line message (Patroni treats
 * any unknown GET path as a health check by substring, which hides typos in load balancer configs).
 */
public final class RestApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final HttpServer server;
    private final SlowClients slowClients;
    private final String address;
    private volatile boolean closed;

    private RestApi(HttpServer server, SlowClients slowClients, String address) {
        this.server = server;
        this.slowClients = slowClients;
        this.address = address;
    }

    /**
     * Binds and returns once the server is listening. Call from a plain thread, not an event loop.
     *
     * @throws RestApiStartException with a one-line message naming the address (port taken, bad certificate …)
     */
    public static RestApi start(Vertx vertx, RestApiConfig config, RestContext ctx) {
        return start(vertx, config, config.listen().port(), ctx);
    }

    /** As {@link #start(Vertx, RestApiConfig, RestContext)} on another port; tests pass 0 for any free port. */
    static RestApi start(Vertx vertx, RestApiConfig config, int port, RestContext ctx) {
        return start(vertx, config, port, ctx, RestLimits.DEFAULT);
    }

    /** As above with other limits; tests shorten the deadlines to watch a slow client being dropped. */
    static RestApi start(Vertx vertx, RestApiConfig config, int port, RestContext ctx, RestLimits limits) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("RestApi.start blocks until listening; call it from a plain thread, not an event loop");
        }
        String host = config.listen().host();
        boolean tls = config.certfile().isPresent();
        String scheme = tls ? "https" : "http";
        String where = scheme + "://" + (port > 0 ? new HostPort(host, port).toString() : host + ":" + port);
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(RestLimits.MAX_HEADER_BYTES).setMaxInitialLineLength(RestLimits.MAX_REQUEST_LINE_BYTES);
        if (tls) {
            Path cert = config.certfile().get();
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(cert.toString())
                    .setKeyPath(config.keyfile().orElse(cert).toString()));
            config.cafile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            // Patroni's verify_client: required refuses the handshake without a certificate from
            // cafile; optional checks one if offered. HAProxy's check-ssl presents its crt either way.
            config.verifyClient().ifPresent(v -> options.setClientAuth(v == RestApiConfig.VerifyClient.REQUIRED ? ClientAuth.REQUIRED : ClientAuth.REQUEST));
        }
        Router router = RestRouter.create(vertx, config, ctx);
        SlowClients slow = new SlowClients(vertx, limits);
        HttpServer server = vertx.createHttpServer(options).connectionHandler(slow.onConnection()).requestHandler(slow.onRequest(router));
        try {
            await(server.listen());
            slow.start();
        } catch (RuntimeException e) {
            await(server.close().recover(ignored -> Future.succeededFuture()));
            throw new RestApiStartException("REST API cannot listen on " + where + ": " + rootMessage(e), e);
        }
        RestApi api = new RestApi(server, slow, scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort());
        log.info("REST API listening on {}", api.address);
        return api;
    }

    /** The port actually bound (the configured one, or the one the system chose for port 0). */
    public int port() {
        return server.actualPort();
    }

    /** {@code http(s)://host:port} as bound. */
    public String address() {
        return address;
    }

    /** Stops listening and waits until the port is released. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        slowClients.stop();
        await(server.close());
        log.info("REST API on {} stopped", address);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the HTTP server within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return Blocking.oneLine(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
}
