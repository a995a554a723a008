package io.pgha.haproxy.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one member's REST API, answering HAProxy's {@code OPTIONS /primary} (any method,
 * any path) with the status set for that path, 503 when none is set: Patroni's status-line-only
 * answer for HEAD/OPTIONS. Used where a whole pgha node is not needed to prove HAProxy's side.
 */
public final class FakeRest implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Integer> codes = new ConcurrentHashMap<>();
    private final AtomicInteger checks = new AtomicInteger();

    public FakeRest(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            checks.incrementAndGet();
            int code = codes.getOrDefault(exchange.getRequestURI().getPath(), 503);
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeRest answer(String path, int code) {
        codes.put(path, code);
        return this;
    }

    public int checks() {
        return checks.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
