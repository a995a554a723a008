package io.pgha.rest;

import io.pgha.config.RestApiConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterKey;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.KeyLayout;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.MemberData;
import io.pgha.testing.EtcdCluster;
import io.pgha.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoints that read the DCS, against a real etcd: /cluster, /history and /config.
 * Every test works on a scope of its own.
 */
class DcsEndpointsTest {
    private static final Duration RETRY = Duration.ofSeconds(3);
    private static final String SEED = "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,"
            + "\"postgresql\":{\"parameters\":{\"max_connections\":100,\"work_mem\":\"4MB\"}},\"slots\":{\"keep\":{\"type\":\"physical\"}}}";

    private static EtcdCluster etcd;
    private static Vertx vertx;

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private String scope;
    private EtcdDcs dcs;

    @BeforeAll
    static void startEtcd() {
        vertx = Vertx.vertx();
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        try {
            if (etcd != null) {
                etcd.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @BeforeEach
    void newScope() {
        scope = "rest-" + UUID.randomUUID().toString().substring(0, 8);
        dcs = client(etcd.clientUrls());
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
    }

    private EtcdDcs client(List<String> endpoints) {
        return client(endpoints, RETRY);
    }

    private EtcdDcs client(List<String> endpoints, Duration retry) {
        EtcdDcs d = new EtcdDcs(new KeyLayout("/service", scope), EtcdSettings.plain(endpoints, retry));
        toClose.push(d);
        return d;
    }

    private Http api(RestApiConfig config, Dcs d) {
        RestApi api = RestApi.start(vertx, config, 0, new RestContext(Fixtures::primary, d, () -> Fixtures.NOW, wakeUps::incrementAndGet));
        toClose.push(api);
        return new Http(api.address());
    }

    private Http api() {
        return api(TestConfigs.open(), dcs);
    }

    private long seed(String config) {
        return ((CasResult.Written) dcs.write(ClusterKey.CONFIG, config, Expect.absent())).version();
    }

    // ---- GET /config, /cluster, /history -------------------------------------------------------

    @Test
    void getConfigAnswersTheStoredDocumentAnd502WithoutOne() {
        Http http = api();
        HttpResponse<String> missing = http.get("/config");
        assertThat(missing.statusCode()).isEqualTo(502);
        assertThat(missing.body()).contains("no config key");

        seed(SEED);
        HttpResponse<String> r = http.get("/config");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject(SEED));
    }

    @Test
    void clusterListsMembersInPatronisShapeWithLagAgainstTheLeadersOptime() {
        long optime = 0x3000060L;
        MemberSession n1 = dcs.openSession("node1", 10);
        toClose.push(n1);
        MemberSession n2 = dcs.openSession("node2", 10);
        toClose.push(n2);
        MemberSession n3 = dcs.openSession("node3", 10);
        toClose.push(n3);
        n1.publish(new MemberData("postgres://10.0.0.4:5432/postgres", "http://10.0.0.4:8008/patroni", "running", "primary", "0.1.0",
                Optional.of(optime), Optional.of(3L), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), false, false, Map.of()));
        n2.publish(new MemberData("postgres://10.0.0.5:5433/postgres", "http://10.0.0.5:8008/patroni", "running", "replica", "0.1.0",
                Optional.of(optime - 0x60), Optional.of(3L), Optional.of("streaming"), Optional.of(optime - 0x60), Optional.of(optime - 0x100),
                Map.of("zone", "b"), true, false, Map.of()));
        n3.publish(new MemberData("postgres://[fd00::6]:5432/postgres", "http://[fd00::6]:8008/patroni", "stopped", "replica", "0.1.0",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), false, false, Map.of()));
        assertThat(n1.acquireLeader()).isTrue();
        dcs.write(ClusterKey.STATUS, "{\"optime\":" + optime + "}", Expect.anything());
        dcs.write(ClusterKey.SYNC, "{\"leader\":\"node1\",\"sync_standby\":\"node2\"}", Expect.anything());
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":30,\"pause\":true}", Expect.anything());
        dcs.write(ClusterKey.FAILOVER, "{\"leader\":\"node1\",\"member\":\"node2\",\"scheduled_at\":\"2026-12-01T03:00:00+00:00\"}", Expect.anything());

        HttpResponse<String> r = api().get("/cluster");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject o = new JsonObject(r.body());
        assertThat(o.getString("scope")).isEqualTo(scope);
        assertThat(o.getBoolean("pause")).isTrue();
        assertThat(o.getJsonObject("scheduled_switchover").getMap())
                .isEqualTo(Map.of("at", "2026-12-01T03:00Z", "from", "node1", "to", "node2"));
        JsonArray members = o.getJsonArray("members");
        assertThat(members).hasSize(3);

        JsonObject leader = members.getJsonObject(0);
        assertThat(leader.getString("name")).isEqualTo("node1");
        assertThat(leader.getString("role")).isEqualTo("leader");
        assertThat(leader.getString("state")).isEqualTo("running");
        assertThat(leader.getString("api_url")).isEqualTo("http://10.0.0.4:8008/patroni");
        assertThat(leader.getString("host")).isEqualTo("10.0.0.4");
        assertThat(leader.getInteger("port")).isEqualTo(5432);
        assertThat(leader.getLong("timeline")).isEqualTo(3);
        assertThat(leader.containsKey("lag")).isFalse();

        JsonObject sync = members.getJsonObject(1);
        assertThat(sync.getString("name")).isEqualTo("node2");
        assertThat(sync.getString("role")).isEqualTo("sync_standby");
        assertThat(sync.getString("state")).isEqualTo("streaming");
        assertThat(sync.getInteger("port")).isEqualTo(5433);
        assertThat(sync.getJsonObject("tags").getMap()).isEqualTo(Map.of("zone", "b"));
        assertThat(sync.getBoolean("pending_restart")).isTrue();
        assertThat(sync.getString("receive_lsn")).isEqualTo("0/3000000");
        assertThat(sync.getLong("receive_lag")).isEqualTo(0x60);
        assertThat(sync.getString("replay_lsn")).isEqualTo("0/2FFFF60");
        assertThat(sync.getLong("replay_lag")).isEqualTo(0x100);
        assertThat(sync.getString("lsn")).isEqualTo("0/3000000");
        assertThat(sync.getLong("lag")).isEqualTo(0x60);

        JsonObject stopped = members.getJsonObject(2);
        assertThat(stopped.getString("name")).isEqualTo("node3");
        assertThat(stopped.getString("role")).isEqualTo("replica");
        assertThat(stopped.getString("state")).isEqualTo("stopped");
        assertThat(stopped.getString("host")).isEqualTo("fd00::6");
        assertThat(stopped.getValue("lag")).isEqualTo("unknown");
    }

    @Test
    void historyRowsHaveFiveColumnsWithNullsWhereTheKeyRecordedNothing() {
        Http http = api();
        assertThat(http.get("/history").body()).isEqualTo("[]");
        dcs.write(ClusterKey.HISTORY, "[[1,33554592,\"no recovery target specified\",\"2026-11-22T10:00:00+00:00\",\"node1\"],"
                + "[2,50331808,\"no recovery target specified\"]]", Expect.anything());
        HttpResponse<String> r = http.get("/history");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(r.body())).isEqualTo(new JsonArray(
                "[[1,33554592,\"no recovery target specified\",\"2026-11-22T10:00:00+00:00\",\"node1\"],"
                        + "[2,50331808,\"no recovery target specified\",null,null]]"));
    }

    @Test
    void anUnreachableDcsIs503WithAMessage() {
        Http http = api(TestConfigs.open(), client(List.of("http://127.0.0.1:" + Ports.free()), Duration.ofSeconds(1)));
        for (String path : List.of("/cluster", "/history", "/config")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(503);
            assertThat(r.body()).as(path).startsWith("DCS unreachable: ");
        }
    }
}
