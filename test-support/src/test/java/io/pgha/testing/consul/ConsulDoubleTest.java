package io.pgha.testing.consul;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The double against the request/response examples of Consul's KV, session and blocking-query documents. */
class ConsulDoubleTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ConsulDouble consul;

    @BeforeEach
    void start() {
        consul = ConsulDouble.start(Optional.of("secret"), 1.0);
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + consul.hostPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Consul-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, "secret");
    }

    @Test
    void aclTokensAreCheckedOnEveryRequest() throws Exception {
        assertThat(call("GET", "/v1/kv/a", null, null).statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = call("PUT", "/v1/kv/a", "x", "other");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).isEqualTo("ACL not found");
        assertThat(call("GET", "/v1/kv/a", null).statusCode()).as("nothing was written").isEqualTo(404);
    }

    @Test
    void kvEntriesCarryTheDocumentedFieldsAndCasCreatesOnlyAtZero() throws Exception {
        assertThat(call("PUT", "/v1/kv/svc/k?cas=0", "one").body()).isEqualTo("true");
        assertThat(call("PUT", "/v1/kv/svc/k?cas=0", "two").body()).isEqualTo("false");
        HttpResponse<String> read = call("GET", "/v1/kv/svc/?recurse", null);
        JsonObject e = new JsonArray(read.body()).getJsonObject(0);
        assertThat(e.fieldNames()).contains("LockIndex", "Key", "Flags", "Value", "CreateIndex", "ModifyIndex");
        assertThat(new String(Base64.getDecoder().decode(e.getString("Value")))).isEqualTo("one");
        long modify = e.getLong("ModifyIndex");
        assertThat(read.headers().firstValue("X-Consul-Index")).contains(String.valueOf(modify));
        assertThat(call("PUT", "/v1/kv/svc/k?cas=" + (modify - 1), "three").body()).isEqualTo("false");
        assertThat(call("PUT", "/v1/kv/svc/k?cas=" + modify, "three").body()).isEqualTo("true");
        assertThat(call("DELETE", "/v1/kv/svc/k?cas=" + modify, null).body()).isEqualTo("false");
        long afterDelete = Long.parseLong(call("GET", "/v1/kv/svc/?recurse", null).headers().firstValue("X-Consul-Index").orElseThrow());
        assertThat(call("DELETE", "/v1/kv/svc/?recurse", null).body()).isEqualTo("true");
        HttpResponse<String> gone = call("GET", "/v1/kv/svc/?recurse", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Long.parseLong(gone.headers().firstValue("X-Consul-Index").orElseThrow()))
                .as("a delete moves the prefix's index (tombstone)").isGreaterThan(afterDelete);
    }

    @Test
    void sessionsRefuseTtlsOutsideTenSecondsToADayAndDeleteBehaviourRemovesLockedKeys() throws Exception {
        HttpResponse<String> tooShort = call("PUT", "/v1/session/create", "{\"TTL\":\"5s\"}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("must be between [10s=24h0m0s]");
        assertThat(call("PUT", "/v1/session/create", "{\"TTL\":\"86401s\"}").statusCode()).isEqualTo(400);

        String s1 = new JsonObject(call("PUT", "/v1/session/create", "{\"TTL\":\"10s\",\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}").body()).getString("ID");
        String s2 = new JsonObject(call("PUT", "/v1/session/create", "{\"TTL\":\"10s\",\"LockDelay\":\"0s\"}").body()).getString("ID");
        assertThat(call("PUT", "/v1/kv/l?acquire=" + s1, "a").body()).isEqualTo("true");
        assertThat(call("PUT", "/v1/kv/l?acquire=" + s2, "b").body()).isEqualTo("false");
        assertThat(call("PUT", "/v1/kv/l?release=" + s2, "b").body()).isEqualTo("false");
        JsonObject held = new JsonArray(call("GET", "/v1/kv/l", null).body()).getJsonObject(0);
        assertThat(held.getString("Session")).isEqualTo(s1);
        assertThat(held.getLong("LockIndex")).isEqualTo(1);
        JsonObject info = new JsonArray(call("GET", "/v1/session/info/" + s1, null).body()).getJsonObject(0);
        assertThat(info.getString("TTL")).isEqualTo("10s");
        assertThat(info.getJsonArray("NodeChecks").getList()).containsExactly("serfHealth");

        assertThat(call("PUT", "/v1/session/destroy/" + s1, null).body()).isEqualTo("true");
        assertThat(call("GET", "/v1/kv/l", null).statusCode()).as("Behavior delete removes the key").isEqualTo(404);
        assertThat(call("PUT", "/v1/session/renew/" + s1, null).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/v1/kv/l?acquire=" + s1, "a").statusCode()).as("acquire with a dead session").isEqualTo(500);
    }

    @Test
    void aBlockingQueryHangsUntilTheIndexMovesOrTheWaitRunsOut() throws Exception {
        call("PUT", "/v1/kv/p/a", "1");
        String index = call("GET", "/v1/kv/p/?recurse", null).headers().firstValue("X-Consul-Index").orElseThrow();
        long start = System.nanoTime();
        HttpResponse<String> timedOut = call("GET", "/v1/kv/p/?recurse&index=" + index + "&wait=300ms", null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(timedOut.headers().firstValue("X-Consul-Index")).contains(index);

        CompletableFuture<HttpResponse<String>> blocked = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://" + consul.hostPort() + "/v1/kv/p/?recurse&index=" + index + "&wait=30s"))
                .header("X-Consul-Token", "secret").build(), HttpResponse.BodyHandlers.ofString());
        call("PUT", "/v1/kv/other", "x"); // outside the prefix: the query keeps hanging
        call("PUT", "/v1/kv/p/b", "2");
        HttpResponse<String> woke = blocked.get();
        assertThat(Long.parseLong(woke.headers().firstValue("X-Consul-Index").orElseThrow())).isGreaterThan(Long.parseLong(index));
        assertThat(new JsonArray(woke.body()).size()).isEqualTo(2);
    }

    @Test
    void aTransactionAppliesAllOrNothing() throws Exception {
        String s = new JsonObject(call("PUT", "/v1/session/create", "{\"TTL\":\"10s\"}").body()).getString("ID");
        String v = Base64.getEncoder().encodeToString("x".getBytes());
        HttpResponse<String> failed = call("PUT", "/v1/txn", "[{\"KV\":{\"Verb\":\"lock\",\"Key\":\"t\",\"Value\":\"" + v + "\",\"Session\":\"" + s
                + "\"}},{\"KV\":{\"Verb\":\"check-index\",\"Key\":\"t\",\"Index\":1}}]");
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(failed.body()).getJsonArray("Errors").getJsonObject(0).getInteger("OpIndex")).isEqualTo(1);
        assertThat(call("GET", "/v1/kv/t", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deregisteringAServiceInvalidatesSessionsBoundToItsCheck() throws Exception {
        call("PUT", "/v1/agent/service/register", "{\"Name\":\"pg\",\"ID\":\"pg-1\",\"Tags\":[\"primary\"],\"Check\":{\"HTTP\":\"http://x\",\"Interval\":\"5s\",\"Status\":\"passing\"}}");
        assertThat(consul.checks().getJsonObject("service:pg-1").getString("Status")).isEqualTo("passing");
        String s = new JsonObject(call("PUT", "/v1/session/create", "{\"TTL\":\"10s\",\"Checks\":[\"serfHealth\",\"service:pg-1\"]}").body()).getString("ID");
        assertThat(call("PUT", "/v1/session/create", "{\"Checks\":[\"nope\"]}").statusCode()).isEqualTo(500);
        call("PUT", "/v1/agent/service/deregister/pg-1", null);
        assertThat(new JsonArray(call("GET", "/v1/session/info/" + s, null).body())).isEmpty();
        assertThat(consul.services().isEmpty()).isTrue();
    }
}
