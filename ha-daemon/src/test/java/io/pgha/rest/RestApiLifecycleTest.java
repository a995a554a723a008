package io.pgha.rest;

import io.pgha.config.HostPort;
import io.pgha.config.RestApiConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding, refusing a taken port, releasing it on close, and HTTPS from PEM files. */
class RestApiLifecycleTest {
    private static Vertx vertx;
    private static final RestContext CTX = new RestContext(Fixtures::primary, new NoDcs(), () -> Fixtures.NOW, () -> {
    });

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static RestApiConfig on(int port) {
        RestApiConfig c = TestConfigs.open();
        return new RestApiConfig(new HostPort("127.0.0.1", port), c.connectAddress(), c.authentication(), c.allowlist(),
                c.certfile(), c.keyfile(), c.cafile());
    }

    @Test
    void aTakenPortFailsWithOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> RestApi.start(vertx, on(port), CTX))
                    .isInstanceOf(RestApiStartException.class)
                    .hasMessageStartingWith("REST API cannot listen on http://127.0.0.1:" + port + ": ")
                    .hasMessageContaining("in use")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void closeReleasesThePort() throws Exception {
        RestApi api = RestApi.start(vertx, TestConfigs.open(), 0, CTX);
        int port = api.port();
        assertThat(port).isPositive();
        assertThat(new Http(api.address()).get("/health").statusCode()).isEqualTo(200);
        api.close();
        api.close(); // idempotent
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void servesHttpsFromPemFiles(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();

        RestApi api = RestApi.start(vertx, TestConfigs.tls(cert, key), 0, CTX);
        try {
            assertThat(api.address()).startsWith("https://127.0.0.1:");
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = new Http(trusting, api.address()).get("/primary");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"role\":\"primary\"");
        } finally {
            api.close();
        }
    }

    @Test
    void aMissingCertificateFailsTheStartNamingTheAddress(@TempDir Path dir) {
        RestApiConfig c = TestConfigs.tls(dir.resolve("missing.pem"), dir.resolve("missing.key"));
        assertThatThrownBy(() -> RestApi.start(vertx, c, 0, CTX))
                .isInstanceOf(RestApiStartException.class)
                .hasMessageStartingWith("REST API cannot listen on https://127.0.0.1:0: ");
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            ks.setCertificateEntry("pgha", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
