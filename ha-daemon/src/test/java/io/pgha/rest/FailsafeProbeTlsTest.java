package io.pgha.rest;

import io.pgha.testing.TestCa;
import io.pgha.vip.FailsafeVerdict;
import io.pgha.vip.PatroniFailsafeProbe;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The vip-manager's failsafe probe against our real REST API on HTTPS, trusting {@code failsafe-ca-file}. */
class FailsafeProbeTlsTest {
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static RestApi api;
    private static TestCa ca;
    private static TestCa other;

    @BeforeAll
    static void start() {
        ca = TestCa.create(dir.resolve("ca"), "rest");
        other = TestCa.create(dir.resolve("other"), "other");
        TestCa.Issued server = ca.issue("node1", "DNS:localhost", TestCa.KeyFormat.PKCS8, 1);
        vertx = Vertx.vertx();
        api = RestApi.start(vertx, TestConfigs.tls(server.cert(), server.key()), 0,
                new RestContext(Fixtures::primary, new NoDcs(), () -> Fixtures.NOW, () -> {
                }));
    }

    @AfterAll
    static void stop() {
        api.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static FailsafeVerdict ask(String host, TestCa trusted) {
        URI url = URI.create("https://" + host + ":" + api.port() + "/patroni");
        return new PatroniFailsafeProbe(url, Optional.of(trusted.caCert())).ask();
    }

    @Test
    void theRightCaAndHostReachTheApisAnswer() {
        assertThat(ask("localhost", ca).detail()).contains("reports role primary");
    }

    @Test
    void anotherCaIsRefusedWithTheReason() {
        FailsafeVerdict v = ask("localhost", other);
        assertThat(v.affirmed()).isFalse();
        assertThat(v.detail()).contains("refused: its certificate is not signed by the CA in failsafe-ca-file (wrong CA)");
    }

    @Test
    void aHostTheCertificateDoesNotNameIsRefusedWithTheReason() {
        FailsafeVerdict v = ask("127.0.0.1", ca);
        assertThat(v.affirmed()).isFalse();
        assertThat(v.detail()).contains("refused: its certificate does not name the host in failsafe-url (hostname mismatch)");
    }
}
