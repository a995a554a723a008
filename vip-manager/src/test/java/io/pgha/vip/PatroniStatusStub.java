package io.pgha.vip;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the local daemon's {@code GET /patroni}, answering the JSON shape Patroni documents
 * (role, failsafe_mode_is_active). A double, because the real one needs a whole PostgreSQL cluster
 * in failsafe mode; the VIP manager only reads these two fields.
 */
final class PatroniStatusStub implements AutoCloseable {
    static final String FAILSAFE_PRIMARY = "{\"state\":\"running\",\"role\":\"primary\",\"failsafe_mode_is_active\":true}";
    static final String DEMOTED = "{\"state\":\"running\",\"role\":\"replica\"}";

    private final HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>(FAILSAFE_PRIMARY);

    PatroniStatusStub(String host) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, 0), 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/patroni", exchange -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/patroni");
    }

    void answer(String json) {
        body.set(json);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
