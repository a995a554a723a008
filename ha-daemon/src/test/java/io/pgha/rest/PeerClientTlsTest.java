package io.pgha.rest;

import io.pgha.config.HostPort;
import io.pgha.config.RestApiConfig;
import io.pgha.ha.PeerStatus;
import io.pgha.testing.TestCa;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer checks between members whose APIs serve HTTPS with {@code verify_client: required}: the
 * client built from the node's restapi section verifies the peer and shows its own certificate;
 * one with the system's trust store cannot reach the peer, which is what failover would then face.
 */
class PeerClientTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static RestApi api;
    private static RestApiConfig config;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        TestCa ca = TestCa.create(dir.resolve("ca"), "rest");
        TestCa.Issued node = ca.issue("node2");
        config = new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), Optional.empty(), List.of(),
                Optional.of(node.cert()), Optional.of(node.key()), Optional.of(ca.caCert()), Optional.of(RestApiConfig.VerifyClient.REQUIRED));
        api = RestApi.start(vertx, config, 0, new RestContext(Fixtures::primary, new NoDcs(), () -> Fixtures.NOW, () -> {
        }));
    }

    @AfterAll
    static void stop() {
        try {
            api.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void thePeerClientOfTheRestApiSectionReachesAVerifyingPeer() {
        Map<String, PeerStatus> answers = PeerClient.forRestApi(vertx, config).ask(Map.of("node2", api.address() + "/patroni"), TIMEOUT);
        assertThat(answers.get("node2")).isInstanceOf(PeerStatus.Answered.class);
        assertThat(((PeerStatus.Answered) answers.get("node2")).runsAsPrimary()).isTrue();
    }

    @Test
    void aPeerClientWithoutTheCaCannot() {
        Map<String, PeerStatus> answers = new PeerClient(vertx).ask(Map.of("node2", api.address() + "/patroni"), TIMEOUT);
        assertThat(answers.get("node2")).isInstanceOf(PeerStatus.Unreachable.class);
    }
}
