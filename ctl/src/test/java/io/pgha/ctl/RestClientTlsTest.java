package io.pgha.ctl;

import io.pgha.testing.TestCa;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CLI's REST client against an HTTPS server that demands client certificates (as
 * {@code verify_client: required}): it verifies the server with --cacert, shows --cert/--key, and
 * with --insecure skips verification; every other combination is refused with the reason.
 */
class RestClientTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static HttpServer server;
    private static TestCa ca;
    private static TestCa.Issued client;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        ca = TestCa.create(dir.resolve("ca"), "rest");
        TestCa.Issued node = ca.issue("node1", "IP:127.0.0.1", TestCa.KeyFormat.PKCS8, 1);
        client = ca.issue("operator", "IP:127.0.0.1", TestCa.KeyFormat.PKCS1, 1);
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(node.cert().toString()).setKeyPath(node.key().toString()))
                        .setTrustOptions(new PemTrustOptions().addCertPath(ca.caCert().toString())).setClientAuth(ClientAuth.REQUIRED))
                .requestHandler(req -> req.response().end("{\"state\":\"running\"}"));
        server.listen().toCompletionStage().toCompletableFuture().get();
        url = "https://127.0.0.1:" + server.actualPort() + "/patroni";
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static RestAnswer get(RestTls tls) {
        return new RestClient(Optional.empty(), TIMEOUT, tls).get(url, "/patroni");
    }

    @Test
    void theCaAndAClientCertificateGetThrough() {
        RestAnswer a = get(new RestTls(Optional.of(ca.caCert()), Optional.of(client.cert()), Optional.of(client.key()), false));
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        assertThatThrownBy(() -> get(new RestTls(Optional.empty(), Optional.of(client.cert()), Optional.of(client.key()), false)))
                .isInstanceOf(RestClient.Unreachable.class).hasMessageContaining("PKIX");
    }

    @Test
    void withoutAClientCertificateTheServerRefuses() {
        assertThatThrownBy(() -> get(new RestTls(Optional.of(ca.caCert()), Optional.empty(), Optional.empty(), false)))
                .isInstanceOf(RestClient.Unreachable.class);
    }

    @Test
    void insecureSkipsVerificationOfTheServerButStillShowsTheCertificate() {
        RestAnswer a = get(new RestTls(Optional.empty(), Optional.of(client.cert()), Optional.of(client.key()), true));
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void theCommandLineWarnsLoudlyAboutInsecureAndRefusesHalfOptions() {
        CtlRun insecure = CtlRun.pgha("list", "--dcs", "etcd3://127.0.0.1:1", "--scope", "x", "--timeout", "0.5", "--insecure");
        assertThat(insecure.err()).contains("WARNING: --insecure: the REST API's certificate is NOT verified");
        CtlRun half = CtlRun.pgha("list", "--dcs", "etcd3://127.0.0.1:1", "--scope", "x", "--cert", client.cert().toString());
        assertThat(half.exit()).isEqualTo(Exit.USAGE);
        assertThat(half.err()).contains("give both --cert and --key");
    }

    @Test
    void contradictoryOrHalfOptionsAreUsageErrors() {
        assertThatThrownBy(() -> new RestTls(Optional.of(ca.caCert()), Optional.empty(), Optional.empty(), true))
                .hasMessageContaining("--insecure and --cacert contradict");
        assertThatThrownBy(() -> new RestTls(Optional.empty(), Optional.of(client.cert()), Optional.empty(), false))
                .hasMessageContaining("give both --cert and --key");
    }
}
