package io.pgha.rest;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or broken client gets from the API: oversized and deep bodies, unknown fields,
 * huge headers, and slow-loris connections that dribble their request. Each is refused without
 * reaching an endpoint's work (the DCS is {@link NoDcs}, which fails any call).
 */
class HostileRequestTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static Vertx vertx;
    private static RestApi api;
    private static Http http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        api = RestApi.start(vertx, TestConfigs.open(), 0, new RestContext(Fixtures::primary, new NoDcs(), () -> Fixtures.NOW, () -> {
        }), new RestLimits(DEADLINE, Duration.ofSeconds(30)));
        http = new Http(api.address());
    }

    @AfterAll
    static void stop() {
        try {
            if (api != null) {
                api.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void anOversizedBodyIs413() {
        HttpResponse<String> r = http.send("POST", "/switchover", "application/json", "{\"leader\":\"" + "a".repeat(RestRouter.BODY_LIMIT) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than " + RestRouter.BODY_LIMIT);
    }

    @Test
    void deepJsonIs400NamingTheLimit() {
        String deep = "{\"leader\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        HttpResponse<String> r = http.send("POST", "/switchover", "application/json", deep);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("nested deeper than 32 levels");
        HttpResponse<String> patch = http.send("PATCH", "/config", "application/json", "{\"postgresql\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41));
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(patch.body()).contains("nested deeper than 32 levels");
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        HttpResponse<String> r = http.send("POST", "/switchover", "application/json", "{\"leader\":\"node1\",\"canddiate\":\"node2\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("canddiate");
        HttpResponse<String> restart = http.send("POST", "/restart", "application/json", "{\"shedule\":\"now\"}");
        assertThat(restart.statusCode()).isEqualTo(400);
        assertThat(restart.body()).contains("shedule");
    }

    @Test
    void hugeHeadersAre431() throws IOException {
        try (Socket s = connect()) {
            send(s, "GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: " + "a".repeat(RestLimits.MAX_HEADER_BYTES + 10) + "\r\n\r\n");
            assertThat(readAll(s)).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void aClientDribblingItsHeadersIsDroppedAtTheDeadline() throws IOException {
        try (Socket s = connect()) {
            // Vert.x 5 reports a connection only once its first request is decoded, so the deadline
            // starts from there; a kept-alive connection then dribbling its next request is the case.
            send(s, "GET /liveness HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponseHead(s.getInputStream())).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            String request = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
            send(s, request);
            // One byte every 300 ms keeps any idle timeout from firing; only the request deadline ends this.
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    send(s, "a");
                    s.setSoTimeout(300);
                    closed = s.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // the server is still waiting for the rest
                } catch (IOException reset) {
                    closed = true;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(closed).as("server closed the slow connection").isTrue();
            assertThat(took).isBetween(DEADLINE.minusMillis(300), DEADLINE.plusSeconds(2));
        }
    }

    @Test
    void aClientDribblingItsBodyIsDroppedAtTheDeadline() throws IOException {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, "POST /switchover HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    send(s, " ");
                    s.setSoTimeout(300);
                    closed = s.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // still reading the body
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("server closed the slow connection").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.plusSeconds(2));
        }
    }

    @Test
    void aKeptAliveConnectionServesManyQuickRequests() throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            long start = System.nanoTime();
            // Longer in total than the deadline: each request gets its own.
            while (Duration.ofNanos(System.nanoTime() - start).compareTo(DEADLINE.plusSeconds(1)) < 0) {
                send(s, "GET /liveness HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponseHead(s.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
    }

    private static Socket connect() throws IOException {
        URI u = URI.create(api.address());
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** Status line and headers, then the Content-Length body, so the next request can follow. */
    private static String readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) c);
        }
        String h = head.toString().toLowerCase();
        int i = h.indexOf("content-length:");
        int length = i < 0 ? 0 : Integer.parseInt(h.substring(i + 15, h.indexOf('\r', i)).trim());
        in.readNBytes(length);
        return head.toString();
    }
}
