package io.pgha.rest;

import io.pgha.dcs.Expect;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.launch.EtcdCluster;
import io.pgha.testing.Hostile;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test of request parsing on every unsafe endpoint, against a real etcd on an empty scope:
 * any body, content type and method gets a 2xx, 4xx or 503 with a message, within the client's
 * timeout — never an internal error or a hang. Fixed seed; budget {@code jqwik.tries} (-Pfuzz: more).
 */
class RestBodyFuzzTest {
    private static final String SEED = "20261207";
    private static final List<String> FIELDS = List.of("leader", "candidate", "member", "scheduled_at", "schedule", "role",
            "postgres_version", "timeout", "restart_pending", "force", "from_leader", "name", "conn_url", "api_url", "slots",
            "ttl", "loop_wait", "retry_timeout", "postgresql", "parameters", "synchronous_mode", "standby_cluster");
    private static final List<String> VALID = List.of("{\"leader\":\"node1\",\"candidate\":\"node2\"}",
            "{\"schedule\":\"2026-12-07T10:00:00+00:00\",\"role\":\"replica\"}", "{\"force\":true}",
            "{\"name\":\"node1\",\"conn_url\":\"postgres://10.0.0.5:5432/postgres\",\"api_url\":\"http://10.0.0.5:8008/patroni\",\"slots\":{}}",
            "{\"ttl\":20,\"postgresql\":{\"parameters\":{\"work_mem\":\"8MB\"}}}");

    private static EtcdCluster etcd;
    private static Vertx vertx;
    private static EtcdDcs dcs;
    private static RestApi api;
    private static Http http;

    @BeforeContainer
    static void start() {
        vertx = Vertx.vertx();
        etcd = EtcdCluster.start(1);
        dcs = new EtcdDcs(new KeyLayout("/service", "fuzz"), EtcdSettings.plain(etcd.clientUrls(), Duration.ofSeconds(3)));
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":30,\"loop_wait\":10}", Expect.absent()); // so that PATCH has something to merge into
        // PostgreSQL down: a well-formed restart is refused (503) after its body is read, instead of
        // waiting a minute for an HA loop this test does not run.
        api = RestApi.start(vertx, TestConfigs.open(), 0, new RestContext(Fixtures::primaryPgDead, dcs, () -> Fixtures.NOW, () -> {
        }));
        http = new Http(api.address());
    }

    @AfterContainer
    static void stop() {
        try {
            if (api != null) {
                api.close();
            }
            if (dcs != null) {
                dcs.close();
            }
        } finally {
            try {
                if (etcd != null) {
                    etcd.close();
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }

    record Call(String method, String path, String contentType, String body) {
    }

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyBodyGetsAnAnswerNeverAnInternalError(@ForAll("calls") Call call) {
        HttpResponse<String> r = http.send(call.method(), call.path(), call.contentType(), call.body());
        // 503 is an answer too (no leader to switch over from); 500 is a bug, and so is no answer.
        assertThat(r.statusCode()).as(call + " answered " + r.body()).isBetween(200, 503).isNotEqualTo(500);
        if (r.statusCode() >= 400) {
            assertThat(r.body()).as(call.toString()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String[]> endpoint = Arbitraries.of(new String[]{"POST", "/switchover"}, new String[]{"POST", "/failover"},
                new String[]{"POST", "/restart"}, new String[]{"POST", "/reinitialize"}, new String[]{"POST", "/reload"},
                new String[]{"POST", "/failsafe"}, new String[]{"PATCH", "/config"}, new String[]{"PUT", "/config"});
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.of(VALID).flatMap(Hostile::mutated),
                Hostile.object(FIELDS, 3).map(Json::encode),
                Hostile.tree(FIELDS, 2).map(Json::encode),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> type = Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain");
        return Combinators.combine(endpoint, type, body).as((e, t, b) -> new Call(e[0], e[1], t, b));
    }
}
