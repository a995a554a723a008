package io.pgha.rest;

import io.pgha.config.Credentials;
import java.util.function.Supplier;
import io.pgha.config.HostPort;
import io.pgha.node.NodeStatus;
import io.pgha.config.RestApiConfig;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.pgha.dcs.model.Versioned;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoints that read or change the DCS, against a real etcd: /cluster, /history, GET and
 * PATCH /config (merge, validation, compare-and-swap), and access control on unsafe methods.
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
        return api(config, d, Fixtures::primary);
    }

    private Http api(RestApiConfig config, Dcs d, Supplier<NodeStatus> status) {
        RestApi api = RestApi.start(vertx, config, 0, new RestContext(status, d, () -> Fixtures.NOW, wakeUps::incrementAndGet));
        toClose.push(api);
        return new Http(api.address());
    }

    private Http api() {
        return api(TestConfigs.open(), dcs);
    }

    private long seed(String config) {
        return ((CasResult.Written) dcs.write(ClusterKey.CONFIG, config, Expect.absent())).version();
    }

    private Versioned<String> storedConfig() {
        return dcs.read(Consistency.LINEARIZABLE).config().orElseThrow();
    }

    private static HttpResponse<String> patch(Http http, String body, String... headers) {
        return http.send("PATCH", "/config", "application/json", body, headers);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
        HttpResponse<String> p = patch(http, "{\"ttl\":20}");
        assertThat(p.statusCode()).isEqualTo(503);
        assertThat(wakeUps).hasValue(0);
    }

    // ---- PATCH /config --------------------------------------------------------------------------

    @Test
    void patchMergesWritesWithCasAnswersTheNewConfigAndWakesTheLoop() {
        long before = seed(SEED);
        HttpResponse<String> r = patch(api(), "{\"loop_wait\":5,\"postgresql\":{\"parameters\":{\"work_mem\":null,\"shared_buffers\":\"1GB\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject expected = new JsonObject("{\"ttl\":30,\"loop_wait\":5,\"retry_timeout\":10,"
                + "\"postgresql\":{\"parameters\":{\"max_connections\":100,\"shared_buffers\":\"1GB\"}},\"slots\":{\"keep\":{\"type\":\"physical\"}}}");
        assertThat(new JsonObject(r.body())).isEqualTo(expected);
        Versioned<String> stored = storedConfig();
        assertThat(new JsonObject(stored.value())).isEqualTo(expected);
        assertThat(stored.version()).isGreaterThan(before);
        assertThat(wakeUps).hasValue(1);
    }

    @Test
    void aConcurrentChangeBetweenReadAndWriteIs409AndKeepsTheOtherEditorsValue() {
        seed(SEED);
        EtcdDcs otherEditor = client(etcd.clientUrls());
        RacingDcs racing = new RacingDcs(dcs);
        Http http = api(TestConfigs.open(), racing);
        String theirs = "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"pause\":true}";
        racing.afterNextRead(() -> assertThat(otherEditor.write(ClusterKey.CONFIG, theirs, Expect.anything()).written()).isTrue());

        HttpResponse<String> r = patch(http, "{\"loop_wait\":5}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("changed since it was read");
        assertThat(new JsonObject(storedConfig().value())).isEqualTo(new JsonObject(theirs));
        assertThat(wakeUps).hasValue(0);

        HttpResponse<String> retry = patch(http, "{\"loop_wait\":5}");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(storedConfig().value()).getBoolean("pause")).isTrue();
    }

    @Test
    void anInvalidResultIs400ListingEveryProblemByPathAndWritesNothing() {
        seed(SEED);
        Versioned<String> before = storedConfig();
        Http http = api();

        HttpResponse<String> model = patch(http, "{\"synchronous_mode\":\"maybe\",\"maximum_lag_on_failover\":-5}");
        assertThat(model.statusCode()).isEqualTo(400);
        assertThat(model.body()).startsWith("config not changed:\n").contains("config.synchronous_mode: ")
                .contains("config.maximum_lag_on_failover: ");

        HttpResponse<String> timing = patch(http, "{\"ttl\":10,\"loop_wait\":10}");
        assertThat(timing.statusCode()).isEqualTo(400);
        assertThat(timing.body()).contains("config.ttl: must be ≥ loop_wait + 2*retry_timeout").contains("config.safety_margin: ");

        HttpResponse<String> typo = patch(http, "{\"loop_wiat\":3}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("config.loop_wiat: unknown key (did you mean loop_wait?)");

        assertThat(storedConfig()).isEqualTo(before);
        assertThat(wakeUps).hasValue(0);
    }

    @Test
    void malformedOrWronglyTypedBodiesAreRefusedBeforeTheDcsIsTouched() {
        seed(SEED);
        Versioned<String> before = storedConfig();
        Http http = api();
        HttpResponse<String> garbage = patch(http, "{\"ttl\":");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).startsWith("the body is not valid JSON");
        HttpResponse<String> array = patch(http, "[1,2]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(array.body()).contains("got an array");
        HttpResponse<String> empty = http.send("PATCH", "/config", "application/json", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        HttpResponse<String> text = http.send("PATCH", "/config", "text/plain", "{\"ttl\":20}");
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> huge = patch(http, "{\"x\":\"" + "a".repeat(RestRouter.BODY_LIMIT) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(storedConfig()).isEqualTo(before);
        assertThat(wakeUps).hasValue(0);
    }

    @Test
    void patchWithoutAConfigKeyIs503() {
        HttpResponse<String> r = patch(api(), "{\"ttl\":20}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("no config key");
        assertThat(dcs.read(Consistency.LINEARIZABLE).config()).isEmpty();
    }

    // ---- access control -------------------------------------------------------------------------

    @Test
    void aClientOutsideTheAllowlistIs403EvenWithGoodCredentialsWhileReadsStayOpen() {
        seed(SEED);
        Versioned<String> before = storedConfig();
        Http http = api(TestConfigs.guarded(Optional.of(new Credentials("admin", "s3cret")), List.of("10.1.2.0/24", "fd00::/8")), dcs);
        HttpResponse<String> r = patch(http, "{\"ttl\":20}", "Authorization", basic("admin", "s3cret"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("127.0.0.1 is not in restapi.allowlist");
        assertThat(http.get("/config").statusCode()).isEqualTo(200);
        assertThat(storedConfig()).isEqualTo(before);
    }

    @Test
    void missingOrWrongCredentialsAre401WithABasicChallenge() {
        seed(SEED);
        Versioned<String> before = storedConfig();
        Http http = api(TestConfigs.guarded(Optional.of(new Credentials("admin", "s3cret")), List.of("127.0.0.0/8")), dcs);
        for (String[] headers : new String[][]{{}, {"Authorization", basic("admin", "wrong")}, {"Authorization", basic("admin", "s3cret2")},
                {"Authorization", "Basic !!!not-base64"}, {"Authorization", "Bearer s3cret"}}) {
            HttpResponse<String> r = patch(http, "{\"maximum_lag_on_failover\":2048}", headers);
            assertThat(r.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"pgha\"");
        }
        assertThat(storedConfig()).isEqualTo(before);

        HttpResponse<String> ok = patch(http, "{\"maximum_lag_on_failover\":2048}", "Authorization", basic("admin", "s3cret"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(wakeUps).hasValue(1);
    }

    @Test
    void allowlistHostNamesAreResolvedAndExactAddressesMatch() {
        seed(SEED);
        assertThat(patch(api(TestConfigs.guarded(Optional.empty(), List.of("localhost")), dcs), "{\"maximum_lag_on_failover\":2048}").statusCode()).isEqualTo(200);
        assertThat(patch(api(TestConfigs.guarded(Optional.empty(), List.of("127.0.0.1")), dcs), "{\"maximum_lag_on_failover\":4096}").statusCode()).isEqualTo(200);
        assertThat(patch(api(TestConfigs.guarded(Optional.empty(), List.of("127.0.0.2")), dcs), "{\"maximum_lag_on_failover\":8192}").statusCode()).isEqualTo(403);
        assertThat(new JsonObject(storedConfig().value()).getInteger("maximum_lag_on_failover")).isEqualTo(4096);
    }

    @Test
    void allowlistIncludeMembersAdmitsAMembersRestApiAddressFromTheDcs() {
        seed(SEED);
        RestApiConfig members = new RestApiConfig(new HostPort("127.0.0.1", 8008), new HostPort("127.0.0.1", 8008), Optional.empty(),
                List.of("10.1.2.0/24"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
        NodeStatus p = Fixtures.primary();
        Supplier<NodeStatus> withUs = () -> Fixtures.status("node1", p.pg(), true, p.leaseDeadlineNanos(),
                Optional.of(MemberAllowlistTest.withMembers("http://127.0.0.1:8008/patroni")), Map.of(), false, Fixtures.NOW);
        Supplier<NodeStatus> withoutUs = () -> Fixtures.status("node1", p.pg(), true, p.leaseDeadlineNanos(),
                Optional.of(MemberAllowlistTest.withMembers("http://10.0.0.4:8008/patroni")), Map.of(), false, Fixtures.NOW);
        assertThat(patch(api(members, dcs, withUs), "{\"maximum_lag_on_failover\":2048}").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = patch(api(members, dcs, withoutUs), "{\"maximum_lag_on_failover\":4096}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("127.0.0.1 is not in restapi.allowlist nor a member's REST API (allowlist_include_members)");
        assertThat(new JsonObject(storedConfig().value()).getInteger("maximum_lag_on_failover")).isEqualTo(2048);
    }
}
