package io.pgha.rest;

import io.pgha.node.NodeStatus;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.pgha.rest.Fixtures.replica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every health path × every node situation × GET/HEAD/OPTIONS, over real HTTP, against the status
 * code table below. The clock is fixed at {@link Fixtures#NOW}, so lease expiry is exact.
 */
class HealthTableTest {
    private static final Map<String, NodeStatus> NODES = new LinkedHashMap<>();

    static {
        NODES.put("pri", Fixtures.primary());                // lease valid, PostgreSQL read-write
        NODES.put("pexp", Fixtures.primaryLeaseExpired());   // PostgreSQL read-write but the lease ran out on our clock
        NODES.put("pdead", Fixtures.primaryPgDead());        // lease valid, PostgreSQL crashed
        NODES.put("lro", Fixtures.leaderReadOnly());         // lease valid, PostgreSQL still in recovery
        NODES.put("rep", replica("node3", 100, "streaming", Map.of()));
        NODES.put("rsync", replica("node2", 100, "streaming", Map.of()));   // listed in the sync key
        NODES.put("rquor", Fixtures.quorumReplica());                       // a voter in a quorum-mode sync key
        NODES.put("rlag", replica("node3", 20 << 20, "streaming", Map.of()));
        NODES.put("rnlb", replica("node3", 0, "streaming", Map.of("noloadbalance", true)));
        NODES.put("rtag", replica("node3", 0, "streaming", Map.of("zone", "a", "clonefrom", true, "weight", 5)));
        NODES.put("rarch", replica("node3", 0, "in archive recovery", Map.of()));
        NODES.put("stop", Fixtures.stopped());
        NODES.put("paus", Fixtures.stuck(true));             // HA loop silent for 3 ttl, but paused
        NODES.put("stuck", Fixtures.stuck(false));           // HA loop silent for 3 ttl
        NODES.put("dcsd", Fixtures.replicaDcsDown());        // streaming replica without a cluster view
    }

    /** One row per request; the columns follow {@link #NODES}. 2 = 200, 5 = 503, 4 = 400. */
    private static final String TABLE = """
            path                                   pri pexp pdead lro rep rsync rquor rlag rnlb rtag rarch stop paus stuck dcsd
            /                                        2    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /primary                                 2    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /master                                  2    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /read-write                              2    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /primary?tag_zone=b                      2    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /leader                                  2    5     2   2   5     5     5    5    5    5     5    5    5     5    5
            /leader?tag_zone=b                       2    5     2   2   5     5     5    5    5    5     5    5    5     5    5
            /replica                                 5    5     5   2   2     2     2    2    5    2     2    5    2     2    2
            /replica?lag=1MB                         5    5     5   2   2     2     2    5    5    2     2    5    2     2    2
            /replica?lag=1048576                     5    5     5   2   2     2     2    5    5    2     2    5    2     2    2
            /replica?lag=1GB                         5    5     5   2   2     2     2    2    5    2     2    5    2     2    2
            /replica?lag=lots                        4    4     4   4   4     4     4    4    4    4     4    4    4     4    4
            /replica?replication_state=streaming     5    5     5   2   2     2     2    2    5    2     5    5    2     2    2
            /replica?tag_zone=a                      5    5     5   5   5     5     5    5    5    2     5    5    5     5    5
            /replica?tag_zone=b                      5    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /replica?tag_clonefrom=true              5    5     5   5   5     5     5    5    5    2     5    5    5     5    5
            /replica?tag_weight=5&tag_zone=a         5    5     5   5   5     5     5    5    5    2     5    5    5     5    5
            /replica?tag_missing=x                   5    5     5   5   5     5     5    5    5    5     5    5    5     5    5
            /read-only                               2    5     5   2   2     2     2    2    5    2     2    5    2     2    2
            /read-only?tag_zone=a                    5    5     5   5   5     5     5    5    5    2     5    5    5     5    5
            /health                                  2    2     5   2   2     2     2    2    2    2     2    5    2     2    2
            /health?tag_zone=a                       5    5     5   5   5     5     5    5    5    2     5    5    5     5    5
            /liveness                                2    2     2   2   2     2     2    2    2    2     2    2    2     5    2
            /readiness                               2    5     2   2   2     2     2    5    2    2     5    5    2     2    2
            /readiness?lag=100MB                     2    5     2   2   2     2     2    2    2    2     5    5    2     2    2
            /readiness?mode=write                    2    5     2   2   2     2     2    2    2    2     5    5    2     2    2
            /readiness?mode=sideways                 4    4     4   4   4     4     4    4    4    4     4    4    4     4    4
            /sync                                    5    5     5   5   5     2     5    5    5    5     5    5    5     5    5
            /synchronous                             5    5     5   5   5     2     5    5    5    5     5    5    5     5    5
            /async                                   5    5     5   2   2     5     5    2    5    2     2    5    2     2    5
            /asynchronous                            5    5     5   2   2     5     5    2    5    2     2    5    2     2    5
            /async?lag=1MB                           5    5     5   2   2     5     5    5    5    2     2    5    2     2    5
            /quorum                                  5    5     5   5   5     5     2    5    5    5     5    5    5     5    5
            /read-only-sync                          2    5     5   5   5     2     5    5    5    5     5    5    5     5    5
            /read-only-synchronous                   2    5     5   5   5     2     5    5    5    5     5    5    5     5    5
            /read-only-quorum                        2    5     5   5   5     5     2    5    5    5     5    5    5     5    5
            """;

    private static Vertx vertx;
    private static RestApi api;
    private static Http http;
    private static final AtomicReference<NodeStatus> current = new AtomicReference<>();

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

    static Stream<String> rows() {
        return TABLE.lines().skip(1).filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersEveryNodeWithTheTabledStatusOnEveryMethod(String row) {
        String[] cells = row.trim().split("\\s+");
        String path = cells[0];
        assertThat(cells).hasSize(NODES.size() + 1);
        List<String> mismatches = new ArrayList<>();
        int column = 1;
        for (Map.Entry<String, NodeStatus> node : NODES.entrySet()) {
            int expected = switch (cells[column++]) {
                case "2" -> 200;
                case "5" -> 503;
                case "4" -> 400;
                default -> throw new IllegalArgumentException("bad cell in " + row);
            };
            current.set(node.getValue());
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                HttpResponse<String> r = http.send(method, path, null, null);
                if (r.statusCode() != expected) {
                    mismatches.add(method + " " + path + " on " + node.getKey() + ": " + r.statusCode() + ", expected " + expected);
                }
                // A 400 explains itself to GET even on the probe paths; HEAD and OPTIONS never carry a body.
                boolean bodyExpected = method.equals("GET")
                        && (expected == 400 || !path.startsWith("/liveness") && !path.startsWith("/readiness"));
                if (bodyExpected != !r.body().isEmpty()) {
                    mismatches.add(method + " " + path + " on " + node.getKey() + ": body " + (r.body().isEmpty() ? "missing" : "present: " + r.body()));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
