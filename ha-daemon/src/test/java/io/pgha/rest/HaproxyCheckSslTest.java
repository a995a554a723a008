package io.pgha.rest;

import io.pgha.config.HostPort;
import io.pgha.config.RestApiConfig;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.Ports;
import io.pgha.testing.TestCa;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API on HTTPS with {@code verify_client: required}, health-checked by a real HAProxy
 * with the server line the bridge renders ({@code check-ssl verify required ca-file … crt …}, see
 * ConfigRendererTest): the check that shows a certificate from the CA passes; one without a
 * certificate, and one that does not trust the API's CA, fail.
 */
class HaproxyCheckSslTest {
    private static final String HAPROXY = System.getenv().getOrDefault("PGHA_HAPROXY_BIN", "/usr/sbin/haproxy");

    @TempDir
    Path dir;
    private Vertx vertx;
    private RestApi api;
    private ChildProcess haproxy;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() {
        try {
            if (haproxy != null) {
                haproxy.kill();
            }
            if (api != null) {
                api.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void haproxyCheckSslPassesOnlyWithAClientCertificateFromTheCa() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "rest");
        TestCa.Issued server = ca.issue("node1");
        TestCa.Issued client = ca.issue("haproxy");
        Path pem = dir.resolve("haproxy.pem");
        Files.writeString(pem, Files.readString(client.cert()) + Files.readString(client.key()));
        TestCa other = TestCa.create(dir.resolve("other"), "other");

        RestApiConfig config = new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), Optional.empty(),
                List.of(), Optional.of(server.cert()), Optional.of(server.key()), Optional.of(ca.caCert()),
                Optional.of(RestApiConfig.VerifyClient.REQUIRED));
        api = RestApi.start(vertx, config, 0, new RestContext(Fixtures::primary, new NoDcs(), () -> Fixtures.NOW, () -> {
        }));
        int rest = api.port();
        Path sock = dir.resolve("admin.sock");
        String cfg = """
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                    timeout check 2s
                listen pg-test-primary
                    bind 127.0.0.1:%d
                    option httpchk
                    http-check send meth OPTIONS uri /primary
                    http-check expect status 200
                    default-server inter 200ms fastinter 200ms downinter 200ms rise 1 fall 1
                    server with-cert 127.0.0.1:5432 check port %d check-ssl verify required ca-file %s crt %s weight 100
                    server without-cert 127.0.0.1:5432 check port %d check-ssl verify required ca-file %s weight 100
                    server wrong-ca 127.0.0.1:5432 check port %d check-ssl verify required ca-file %s crt %s weight 100
                    server right-host 127.0.0.1:5432 check port %d check-ssl verify required ca-file %s crt %s verifyhost localhost weight 100
                    server wrong-host 127.0.0.1:5432 check port %d check-ssl verify required ca-file %s crt %s verifyhost db.example.com weight 100
                """.formatted(sock, Ports.free(), rest, ca.caCert(), pem, rest, ca.caCert(), rest, other.caCert(), pem,
                rest, ca.caCert(), pem, rest, ca.caCert(), pem);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        haproxy = ChildProcess.start("haproxy", List.of(HAPROXY, "-db", "-f", file.toString()), dir.resolve("haproxy.log"), Map.of());
        Await.until("HAProxy has checked all five servers", Duration.ofSeconds(20), () -> {
            Map<String, String> s = states(sock);
            return s.size() == 5 && s.values().stream().noneMatch(v -> v.startsWith("no check") || v.isEmpty());
        });
        Await.until("with-cert and right-host UP, the others DOWN", Duration.ofSeconds(10), () -> {
            Map<String, String> s = states(sock);
            return "UP".equals(s.get("with-cert")) && "DOWN".equals(s.get("without-cert")) && "DOWN".equals(s.get("wrong-ca"))
                    && "UP".equals(s.get("right-host")) && "DOWN".equals(s.get("wrong-host"));
        });
    }

    /** Server name → status column of {@code show stat}, e.g. UP, DOWN. */
    private static Map<String, String> states(Path sock) {
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(sock)) {
            return out;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder text = new StringBuilder();
            while (ch.read(buf) > 0) {
                buf.flip();
                text.append(StandardCharsets.US_ASCII.decode(buf));
                buf.clear();
            }
            for (String line : text.toString().split("\n")) {
                String[] f = line.split(",", -1);
                if (f.length > 17 && f[0].equals("pg-test-primary") && !f[1].equals("FRONTEND") && !f[1].equals("BACKEND")) {
                    out.put(f[1], f[17]);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
