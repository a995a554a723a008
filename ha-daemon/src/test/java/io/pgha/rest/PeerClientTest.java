package io.pgha.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.pgha.ha.PeerStatus;
import io.pgha.launch.Ports;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers as small real HTTP servers: one primary, replicas with and without failover tags, two that
 * never answer in time, one that answers garbage, one that answers 503, and a port nobody listens on.
 */
class PeerClientTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    /** The slow peers hold their answer until the suite ends: no timing games, they simply never answer in time. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final Vertx VERTX = Vertx.vertx();
    private static final PeerClient client = new PeerClient(VERTX);
    private static final List<HttpServer> servers = new ArrayList<>();
    private static final ExecutorService pool = Executors.newCachedThreadPool();
    private static final Map<String, String> urls = new LinkedHashMap<>();

    @BeforeAll
    static void startPeers() throws IOException {
        urls.put("primary", serve(200, "{\"state\":\"running\",\"role\":\"primary\",\"xlog\":{\"location\":50331808},\"timeline\":2,"
                + "\"patroni\":{\"version\":\"4.1.4\",\"scope\":\"demo\",\"name\":\"primary\"}}"));
        urls.put("replica", serve(200, "{\"state\":\"running\",\"role\":\"replica\",\"xlog\":{\"received_location\":50331000,"
                + "\"replayed_location\":50330000,\"replayed_timestamp\":null,\"paused\":false},\"tags\":{\"failover_priority\":3}}"));
        urls.put("nofailover", serve(200, "{\"state\":\"running\",\"role\":\"replica\",\"xlog\":{\"received_location\":7,"
                + "\"replayed_location\":9,\"paused\":false},\"tags\":{\"nofailover\":true,\"failover_priority\":5}}"));
        urls.put("slow1", serveSlowly());
        urls.put("slow2", serveSlowly());
        urls.put("garbage", serve(200, "<html>hello</html>"));
        urls.put("unavailable", serve(503, "{\"state\":\"running\",\"role\":\"primary\"}"));
        urls.put("closed", "http://127.0.0.1:" + Ports.free() + "/patroni");
        urls.put("nonsense", "not a url at all");
    }

    @AfterAll
    static void stopPeers() {
        client.close();
        VERTX.close().toCompletionStage().toCompletableFuture().join();
        RELEASE.countDown();
        servers.forEach(s -> s.stop(0));
        pool.shutdownNow();
    }

    private static String serve(int status, String body) throws IOException {
        return start(exchange -> reply(exchange, status, body));
    }

    private static String serveSlowly() throws IOException {
        return start(exchange -> {
            try {
                RELEASE.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{\"state\":\"running\",\"role\":\"primary\",\"xlog\":{\"location\":1}}");
        });
    }

    private static String start(HttpHandler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/patroni", handler);
        s.setExecutor(pool);
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort() + "/patroni";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
        }
    }

    @Test
    void asksEveryPeerInParallelWithinOneTimeoutAndReadsEachAnswer() {
        long t0 = System.nanoTime();
        Map<String, PeerStatus> answers = client.ask(urls, TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // Two peers each hold the full timeout: asked one after the other this would take twice as long.
        assertThat(took).isLessThan(TIMEOUT.plusMillis(700));
        assertThat(answers.keySet()).containsExactlyElementsOf(urls.keySet());
        assertThat(answers.get("primary")).isEqualTo(new PeerStatus.Answered(true, 50331808, false, 1));
        assertThat(answers.get("replica")).isEqualTo(new PeerStatus.Answered(false, 50331000, false, 3));
        assertThat(answers.get("nofailover")).isEqualTo(new PeerStatus.Answered(false, 9, true, 0));
        assertThat(answers.get("slow1")).isInstanceOf(PeerStatus.Unreachable.class);
        assertThat(answers.get("slow2")).isInstanceOf(PeerStatus.Unreachable.class);
        assertThat(answers.get("garbage")).isEqualTo(new PeerStatus.Unreachable("answer is not JSON"));
        assertThat(answers.get("unavailable")).isEqualTo(new PeerStatus.Unreachable("HTTP 503"));
        assertThat(answers.get("closed")).isInstanceOf(PeerStatus.Unreachable.class);
        assertThat(answers.get("nonsense")).isInstanceOf(PeerStatus.Unreachable.class);
    }

    @Test
    void noPeersIsAnEmptyAnswerAtOnce() {
        assertThat(client.ask(Map.of(), TIMEOUT)).isEmpty();
    }

    @Test
    void answersAreReadStrictly() {
        assertThat(PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"master\",\"xlog\":{\"location\":5}}"))
                .isEqualTo(new PeerStatus.Answered(true, 5, false, 1));
        assertThat(PeerAnswer.read(200, "{\"state\":\"stopped\",\"role\":\"primary\"}"))
                .as("a stopped primary is no rival").isEqualTo(new PeerStatus.Answered(false, 0, false, 1));
        assertThat(PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"replica\",\"xlog\":{\"received_location\":9},"
                + "\"tags\":{\"nofailover\":\"true\"}}")).isEqualTo(new PeerStatus.Answered(false, 9, true, 0));
        assertThat(PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"replica\",\"tags\":{\"failover_priority\":\"0\"}}"))
                .isEqualTo(new PeerStatus.Answered(false, 0, false, 0));
        assertThat(PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"primary\",\"xlog\":{\"location\":\"0/5\"}}"))
                .isEqualTo(new PeerStatus.Unreachable("malformed answer: xlog.location is not a WAL position"));
        assertThat(PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"replica\",\"tags\":[]}"))
                .isEqualTo(new PeerStatus.Unreachable("malformed answer: tags is not an object"));
        assertThat(PeerAnswer.read(200, "{\"role\":7}")).isEqualTo(new PeerStatus.Unreachable("malformed answer: role is not a string"));
        assertThat(PeerAnswer.read(200, "[1]")).isEqualTo(new PeerStatus.Unreachable("answer is not a JSON object"));
        assertThat(PeerAnswer.read(404, "{}")).isEqualTo(new PeerStatus.Unreachable("HTTP 404"));
    }
}
