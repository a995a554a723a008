package io.pgha.rest;

import io.pgha.node.NodeStatus;
import io.pgha.node.PgSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes on the wire: status-only answers, the /patroni document, /metrics, and unknown paths. */
class StatusEndpointTest {
    private static Vertx vertx;
    private static RestApi api;
    private static Http http;
    private static final AtomicReference<NodeStatus> current = new AtomicReference<>(Fixtures.primary());

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        api = RestApi.start(vertx, TestConfigs.open(), 0, new RestContext(current::get, new NoDcs(), () -> Fixtures.NOW, () -> {
        }));
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

    /** Sends one raw request and returns every byte the server wrote until it closed the connection. */
    private static String raw(String method, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headAndOptionsSendAStatusLineAndNothingAfterTheHeaders() throws IOException {
        current.set(Fixtures.primary());
        for (String method : List.of("HEAD", "OPTIONS")) {
            for (String[] pathAndStatus : new String[][]{{"/primary", "200 OK"}, {"/replica", "503 Service Unavailable"}}) {
                String wire = raw(method, pathAndStatus[0]);
                assertThat(wire).as(method + " " + pathAndStatus[0]).startsWith("HTTP/1.1 " + pathAndStatus[1] + "\r\n");
                int end = wire.indexOf("\r\n\r\n");
                assertThat(end).as("end of headers").isPositive();
                assertThat(wire.substring(end + 4)).as("bytes after the headers").isEmpty();
                List<String> headers = Arrays.asList(wire.substring(0, end).split("\r\n")).subList(1, wire.substring(0, end).split("\r\n").length);
                assertThat(headers).as("headers of " + method + " " + pathAndStatus[0])
                        .allSatisfy(h -> assertThat(h.toLowerCase()).matches("content-length: 0|connection: close"));
            }
        }
    }

    @Test
    void livenessAnswersGetWithAStatusLineOnly() throws IOException {
        current.set(Fixtures.primary());
        String wire = raw("GET", "/liveness");
        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void patroniDocumentOfAPrimaryHasPatronisShapeAndPghaFields() {
        current.set(Fixtures.primary());
        HttpResponse<String> r = http.get("/patroni");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject o = new JsonObject(r.body());
        assertThat(o.getString("state")).isEqualTo("running");
        assertThat(o.getString("role")).isEqualTo("primary");
        assertThat(o.getString("postmaster_start_time")).isEqualTo("2026-11-22 10:00:00.123456+00:00");
        assertThat(o.getInteger("server_version")).isEqualTo(160004);
        assertThat(o.getJsonObject("xlog").getMap()).isEqualTo(Map.of("location", (int) Fixtures.OPTIME));
        assertThat(o.getLong("timeline")).isEqualTo(3);
        assertThat(o.containsKey("replication_state")).isFalse();
        assertThat(o.getJsonArray("replication").getJsonObject(0).getMap()).containsEntry("application_name", "node2")
                .containsEntry("usename", "replicator").containsEntry("client_addr", "10.0.0.6").containsEntry("state", "streaming")
                .containsEntry("sync_state", "async").containsEntry("sync_priority", 0);
        assertThat(o.containsKey("cluster_unlocked")).isFalse();
        assertThat(o.getLong("dcs_last_seen")).isEqualTo(1_795_000_000L);
        assertThat(o.getString("database_system_identifier")).isEqualTo("7268616322854375442");
        assertThat(o.containsKey("pause")).isFalse();
        assertThat(o.getJsonObject("patroni").getMap()).isEqualTo(Map.of("version", "0.1.0-SNAPSHOT", "scope", "demo", "name", "node1"));
        JsonObject pgha = o.getJsonObject("pgha");
        assertThat(pgha.getLong("lease_seconds_left")).isEqualTo(20);
        assertThat(pgha.getLong("lease_ttl")).as("the TTL the lease was granted").isEqualTo(Fixtures.primary().ttl().toSeconds());
        assertThat(pgha.getString("last_action")).isEqualTo("keep leading");
        assertThat(pgha.getString("last_reason")).isEqualTo("I hold the lease");
        assertThat(pgha.getString("member_state")).isEmpty();
    }

    @Test
    void patroniDocumentOfASyncReplicaCarriesReceiveAndReplayPositions() {
        current.set(Fixtures.replica("node2", 100, "streaming", Map.of("nofailover", true)));
        JsonObject o = new JsonObject(http.get("/patroni").body());
        assertThat(o.getString("role")).isEqualTo("replica");
        JsonObject xlog = o.getJsonObject("xlog");
        assertThat(xlog.getLong("received_location")).isEqualTo(Fixtures.OPTIME);
        assertThat(xlog.getLong("replayed_location")).isEqualTo(Fixtures.OPTIME - 100);
        assertThat(xlog.getString("replayed_timestamp")).isEqualTo("2026-11-22 10:01:00.123456+00:00");
        assertThat(xlog.getBoolean("paused")).isFalse();
        assertThat(o.getString("replication_state")).isEqualTo("streaming");
        assertThat(o.getBoolean("sync_standby")).isTrue();
        assertThat(o.getJsonObject("tags").getMap()).isEqualTo(Map.of("nofailover", true));
        assertThat(o.getJsonObject("pgha").getLong("lease_seconds_left")).isZero();
    }

    @Test
    void patroniDocumentOfAStoppedNodeWithoutDcsSaysSoWithoutPositions() {
        NodeStatus s = Fixtures.status("node3", PgSnapshot.notRunning("stopped", "replica"), false, 0, Optional.empty(),
                Map.of(), true, Fixtures.NOW);
        current.set(s);
        JsonObject o = new JsonObject(http.get("/patroni").body());
        assertThat(o.getString("state")).isEqualTo("stopped");
        assertThat(o.getString("role")).isEqualTo("replica");
        assertThat(o.containsKey("xlog")).isFalse();
        assertThat(o.containsKey("timeline")).isFalse();
        assertThat(o.getBoolean("pause")).isTrue();
        assertThat(o.getBoolean("cluster_unlocked")).isTrue();
    }

    @Test
    void healthGetCarriesTheSameDocument() {
        current.set(Fixtures.primary());
        HttpResponse<String> r = http.get("/primary");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("role")).isEqualTo("primary");
    }

    @Test
    void metricsCarryPatronisNamesWithScopeAndNameLabels() {
        current.set(Fixtures.primary());
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        String l = "{scope=\"demo\",name=\"node1\"}";
        assertThat(r.body().lines()).contains(
                "patroni_version" + l + " 000100",
                "patroni_postgres_running" + l + " 1",
                "patroni_postmaster_start_time" + l + " 1795341600.123456",
                "patroni_primary" + l + " 1",
                "patroni_xlog_location" + l + " " + Fixtures.OPTIME,
                "patroni_standby_leader" + l + " 0",
                "patroni_replica" + l + " 0",
                "patroni_sync_standby" + l + " 0",
                "patroni_xlog_received_location" + l + " 0",
                "patroni_xlog_replayed_location" + l + " 0",
                "patroni_xlog_replayed_timestamp" + l + " 0",
                "patroni_xlog_paused" + l + " 0",
                "patroni_postgres_streaming" + l + " 0",
                "patroni_postgres_in_archive_recovery" + l + " 0",
                "patroni_postgres_server_version" + l + " 160004",
                "patroni_cluster_unlocked" + l + " 0",
                "patroni_postgres_timeline" + l + " 3",
                "patroni_dcs_last_seen" + l + " 1795000000",
                "patroni_pending_restart" + l + " 0",
                "patroni_is_paused" + l + " 0",
                "patroni_failover_priority" + l + " 1",
                "pgha_lease_seconds_left" + l + " 20",
                "pgha_lease_ttl_seconds" + l + " " + Fixtures.primary().ttl().toSeconds(),
                "pgha_last_decision_info{scope=\"demo\",name=\"node1\",action=\"keep leading\"} 1",
                "pgha_dcs_round_trip_seconds" + l + " 0.004000",
                "# TYPE patroni_primary gauge");
    }

    @Test
    void metricsOfALaggingReplicaReportItsPositions() {
        current.set(Fixtures.replica("node2", 100, "streaming", Map.of("failover_priority", 7)));
        String body = http.get("/metrics").body();
        String l = "{scope=\"demo\",name=\"node2\"}";
        assertThat(body.lines()).contains(
                "patroni_primary" + l + " 0",
                "patroni_replica" + l + " 1",
                "patroni_sync_standby" + l + " 1",
                "patroni_xlog_location" + l + " 0",
                "patroni_xlog_received_location" + l + " " + Fixtures.OPTIME,
                "patroni_xlog_replayed_location" + l + " " + (Fixtures.OPTIME - 100),
                "patroni_postgres_streaming" + l + " 1",
                "patroni_failover_priority" + l + " 7");
    }

    @Test
    void unknownPathsAre404WithOneLineAndUnsupportedMethods405() {
        HttpResponse<String> r = http.get("/xprimaryx");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("no such endpoint: GET /xprimaryx\n");
        assertThat(http.send("HEAD", "/nope", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send("POST", "/patroni", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("POST is not supported on /patroni\n");
    }
}
