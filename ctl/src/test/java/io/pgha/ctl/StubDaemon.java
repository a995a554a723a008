package io.pgha.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A STUB of a pgha daemon's REST API, for unit tests of the CLI's requests and of how it reads the
 * answers of endpoints whose daemon side is not built yet. It answers what each test scripts, per
 * {@code "METHOD /path"}, and records every request; anything unscripted is 404 like the real router.
 * The integration tests run the CLI against real daemons instead.
 */
final class StubDaemon implements AutoCloseable {
    record Request(String method, String path, String body, String authorization) {
    }

    record Response(int status, String body) {
    }

    interface Handler {
        Response handle(Request r) throws Exception;
    }

    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    StubDaemon() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-daemon");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/patroni";
    }

    StubDaemon on(String methodAndPath, Handler h) {
        routes.put(methodAndPath, h);
        return this;
    }

    StubDaemon on(String methodAndPath, int status, String body) {
        return on(methodAndPath, r -> new Response(status, body));
    }

    void reset() {
        routes.clear();
        requests.clear();
    }

    List<Request> requests(String methodAndPath) {
        return requests.stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath)).toList();
    }

    private void serve(HttpExchange x) throws IOException {
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getPath(),
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), x.getRequestHeaders().getFirst("Authorization"));
        requests.add(r);
        Handler h = routes.get(r.method() + " " + r.path());
        Response resp;
        try {
            resp = h == null ? new Response(404, "no such endpoint: " + r.method() + " " + r.path()) : h.handle(r);
        } catch (Exception e) {
            resp = new Response(500, "stub failed: " + e);
        }
        byte[] bytes = resp.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", resp.body().startsWith("{") ? "application/json" : "text/plain");
        x.sendResponseHeaders(resp.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
