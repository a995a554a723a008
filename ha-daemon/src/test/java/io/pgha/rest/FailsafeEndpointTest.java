package io.pgha.rest;

import io.pgha.config.Credentials;
import io.pgha.ha.Failsafe;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.launch.Ports;
import io.pgha.node.FailsafeAcknowledgements;
import io.pgha.node.FailsafeStatus;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET/POST /failsafe} in Patroni's wire format, on two real REST APIs (a replica and a
 * primary, both with Basic auth), and {@link PeerClient#confirmFailsafe} talking to them as a
 * primary without the DCS would.
 */
class FailsafeEndpointTest {
    private static final Credentials AUTH = new Credentials("patroni", "s3cret");
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("patroni:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final Map<String, String> MEMBERS = Map.of("node1", "http://10.0.0.1:8008/patroni", "node2", "http://10.0.0.2:8008/patroni");
    private static final String BODY = "{\"name\":\"node1\",\"conn_url\":\"postgres://10.0.0.1:5432/postgres\","
            + "\"api_url\":\"http://10.0.0.1:8008/patroni\",\"slots\":{}}";

    private static Vertx vertx;
    private static RestApi replicaApi;
    private static RestApi primaryApi;
    private static Http replica;
    private static PeerClient client;
    private static final AtomicReference<NodeStatus> replicaStatus = new AtomicReference<>();
    private static final AtomicReference<NodeStatus> primaryStatus = new AtomicReference<>();
    private static final AtomicReference<Long> clock = new AtomicReference<>(Fixtures.NOW);
    private static final FailsafeAcknowledgements acks = new FailsafeAcknowledgements();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        replicaApi = RestApi.start(vertx, TestConfigs.guarded(Optional.of(AUTH), List.of()), 0, new RestContext(replicaStatus::get,
                new NoDcs(), clock::get, () -> {
        }, new OperatorRequests(), new OperationLog(Clock.systemUTC()), acks));
        primaryApi = RestApi.start(vertx, TestConfigs.guarded(Optional.of(AUTH), List.of()), 0, new RestContext(primaryStatus::get,
                new NoDcs(), clock::get, () -> {
        }));
        replica = new Http(replicaApi.address());
        client = new PeerClient(vertx);
    }

    @AfterAll
    static void stop() {
        client.close();
        replicaApi.close();
        primaryApi.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void failsafeOn() {
        replicaStatus.set(withFailsafe(Fixtures.replica("node2", 0, "streaming", Map.of()), new FailsafeStatus(true, false, 0, MEMBERS)));
        primaryStatus.set(withFailsafe(Fixtures.primary(), new FailsafeStatus(true, false, 0, MEMBERS)));
    }

    static NodeStatus withFailsafe(NodeStatus s, FailsafeStatus f) {
        return new NodeStatus(s.scope(), s.name(), s.version(), s.pg(), s.holdsLeaderKey(), s.leaseDeadlineNanos(), s.cluster(),
                s.dcsLastSeenEpochSeconds(), s.dcsRoundTripNanos(), s.lastCycleNanos(), s.ttl(), s.loopWait(), s.tags(), s.paused(),
                s.lastAction(), s.lastReason(), s.memberState(), s.watchdog(), f);
    }

    private static HttpResponse<String> post(String body, String... headers) {
        return replica.send("POST", "/failsafe", "application/json", body, headers);
    }

    @Test
    void aReplicaAcceptsTheLeaderAndAnswersWithItsWalPosition() {
        clock.set(Fixtures.NOW + 7);
        HttpResponse<String> r = post(BODY, "Authorization", BASIC);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Accepted\n");
        assertThat(r.headers().firstValue("lsn")).hasValue(Long.toString(Fixtures.OPTIME)); // received, ahead of replayed
        assertThat(acks.last()).hasValue(new Failsafe.Acknowledgement("node1", Fixtures.NOW + 7));
    }

    @Test
    void withFailsafeModeOffThePostIs502AndNothingIsPromised() {
        replicaStatus.set(withFailsafe(Fixtures.replica("node2", 0, "streaming", Map.of()), FailsafeStatus.OFF));
        clock.set(Fixtures.NOW + 11);
        HttpResponse<String> r = post(BODY, "Authorization", BASIC);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(acks.last()).isNotEqualTo(Optional.of(new Failsafe.Acknowledgement("node1", Fixtures.NOW + 11)));
    }

    @Test
    void aNodeRunningAsPrimaryRefusesWith500() {
        replicaStatus.set(withFailsafe(Fixtures.primary(), new FailsafeStatus(true, false, 0, MEMBERS)));
        clock.set(Fixtures.NOW + 13);
        HttpResponse<String> r = post(BODY, "Authorization", BASIC);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("Running as a leader\n");
        assertThat(acks.last()).isNotEqualTo(Optional.of(new Failsafe.Acknowledgement("node1", Fixtures.NOW + 13)));
    }

    @Test
    void thePostNeedsTheCredentialsAndAWellFormedBody() {
        assertThat(post(BODY).statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Authorization", "Basic d3Jvbmc6d3Jvbmc=").statusCode()).isEqualTo(401);
        HttpResponse<String> noName = post("{\"conn_url\":\"postgres://x/postgres\"}", "Authorization", BASIC);
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("name");
        assertThat(post("{\"name\":\"node1\",\"leader\":true}", "Authorization", BASIC).body()).contains("unknown field(s) [leader]");
        assertThat(post("{\"name\":\"node1\",\"slots\":[1]}", "Authorization", BASIC).body()).contains("slots: expected an object");
        assertThat(post("[]", "Authorization", BASIC).statusCode()).isEqualTo(400);
    }

    @Test
    void getShowsTheFailsafeKeyOr502() {
        HttpResponse<String> r = replica.get("/failsafe");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getMap()).isEqualTo(Map.copyOf(MEMBERS));
        replicaStatus.set(withFailsafe(Fixtures.replica("node2", 0, "streaming", Map.of()), FailsafeStatus.OFF));
        assertThat(replica.get("/failsafe").statusCode()).isEqualTo(502);
        replicaStatus.set(withFailsafe(Fixtures.replica("node2", 0, "streaming", Map.of()), new FailsafeStatus(true, false, 0, Map.of())));
        assertThat(replica.get("/failsafe").statusCode()).isEqualTo(502);
    }

    @Test
    void peerClientCollectsEveryAnswerWithinOneTimeout() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("replica", replicaApi.address() + "/patroni");
        urls.put("primary", primaryApi.address() + "/patroni");
        urls.put("gone", "http://127.0.0.1:" + Ports.free() + "/patroni");
        urls.put("nonsense", "not a url");
        Map<String, FailsafeAnswer> answers = client.confirmFailsafe(urls, BODY, Optional.of(BASIC), Duration.ofSeconds(2));
        assertThat(answers.get("replica")).isEqualTo(new FailsafeAnswer.Acknowledged(Fixtures.OPTIME));
        assertThat(answers.get("primary")).isEqualTo(new FailsafeAnswer.NotAcknowledged("HTTP 500: Running as a leader"));
        assertThat(answers.get("gone")).isInstanceOf(FailsafeAnswer.NotAcknowledged.class);
        assertThat(answers.get("nonsense")).isEqualTo(new FailsafeAnswer.NotAcknowledged("bad api_url \"not a url\""));

        Map<String, FailsafeAnswer> withoutCredentials = client.confirmFailsafe(Map.of("replica", replicaApi.address() + "/patroni"),
                BODY, Optional.empty(), Duration.ofSeconds(2));
        // The 401 is sent before the request body is read, so whether its text arrives too is a race: the status is what counts.
        assertThat(withoutCredentials.get("replica")).isInstanceOfSatisfying(FailsafeAnswer.NotAcknowledged.class,
                n -> assertThat(n.reason()).startsWith("HTTP 401"));
    }

    @Test
    void anActiveFailsafeMakesThePrimaryLeadWithoutTheKeyUntilItsDeadline() {
        NodeStatus dcsDown = Fixtures.status("node1", Fixtures.primaryPg(), false, 0, Optional.empty(), Map.of(), false, Fixtures.NOW);
        NodeStatus active = withFailsafe(dcsDown, new FailsafeStatus(true, true, Fixtures.NOW + 5 * Fixtures.SECOND, MEMBERS));
        HealthQuery none = HealthQuery.parse(List.of());
        assertThat(HealthRules.passes(HealthCheck.PRIMARY, dcsDown, none, Fixtures.NOW)).isFalse();
        assertThat(HealthRules.passes(HealthCheck.PRIMARY, active, none, Fixtures.NOW)).isTrue();
        assertThat(HealthRules.passes(HealthCheck.LEADER, active, none, Fixtures.NOW)).isTrue();
        assertThat(HealthRules.passes(HealthCheck.PRIMARY, active, none, Fixtures.NOW + 5 * Fixtures.SECOND)).as("past the fence").isFalse();

        assertThat(StatusJson.render(active, Fixtures.NOW).getBoolean("failsafe_mode_is_active")).isTrue();
        assertThat(StatusJson.render(dcsDown, Fixtures.NOW).containsKey("failsafe_mode_is_active")).isFalse();
        String metrics = MetricsText.render(active, Fixtures.NOW);
        assertThat(metrics).contains("patroni_failsafe_mode_is_active{scope=\"demo\",name=\"node1\"} 1\n")
                .contains("patroni_failsafe_mode_enabled{scope=\"demo\",name=\"node1\"} 1\n")
                .contains("patroni_primary{scope=\"demo\",name=\"node1\"} 1\n");
        assertThat(MetricsText.render(dcsDown, Fixtures.NOW)).contains("patroni_failsafe_mode_is_active{scope=\"demo\",name=\"node1\"} 0\n")
                .contains("patroni_failsafe_mode_enabled{scope=\"demo\",name=\"node1\"} 0\n");
    }
}
