package io.pgha.testing.consul;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A <b>test double</b> of one Consul agent's HTTP API — no Consul binary is available from the
 * package sources this project builds from. It answers the subset pgha uses, in Consul's JSON
 * shapes, with the semantics {@link ConsulStore} cites from Consul's documents:
 * <ul>
 * <li>{@code GET/PUT/DELETE /v1/kv/<key>} with {@code recurse}, {@code cas}, {@code acquire},
 * {@code release}, {@code consistent}/{@code stale} (accepted; one server is always consistent);</li>
 * <li>{@code PUT /v1/txn};</li>
 * <li>{@code PUT /v1/session/create|renew/<id>|destroy/<id>}, {@code GET /v1/session/info/<id>|list};</li>
 * <li>blocking queries on KV reads: https://developer.hashicorp.com/consul/api-docs/features/blocking —
 * {@code ?index=&wait=} hangs until the index passes {@code index} or {@code wait} (at most 10
 * minutes, default 5) runs out, and every answer carries {@code X-Consul-Index};</li>
 * <li>{@code PUT /v1/agent/service/register}, {@code /v1/agent/service/deregister/<id>},
 * {@code GET /v1/agent/services|checks}; checks are not probed, a test sets their status;</li>
 * <li>ACLs: https://developer.hashicorp.com/consul/api-docs/api-structure#authentication — with a
 * token configured, a request without {@code X-Consul-Token} (or {@code ?token=}) gets 403
 * "Permission denied", one with another token 403 "ACL not found".</li>
 * </ul>
 * Sessions are reaped at {@code reapFactor × TTL} after their last renewal (Consul: between 1 and
 * 2); a stopped double refuses connections, as a dead agent does.
 */
public final class ConsulDouble implements AutoCloseable {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

    private final Vertx vertx;
    private final ConsulStore store;
    private final Optional<String> token;
    private final List<Promise<Void>> parked = new ArrayList<>();
    private final long reaper;
    private volatile HttpServer server;
    private volatile int port;

    private final String host;

    private ConsulDouble(String host, Optional<String> token, double reapFactor) {
        this.host = host;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.token = token;
        this.store = new ConsulStore(System::nanoTime, reapFactor);
        store.onChange(() -> vertx.runOnContext(v -> wakeParked()));
        this.reaper = vertx.setPeriodic(100, id -> store.reap());
    }

    /** A double reaping sessions at exactly their TTL, with ACLs off. */
    public static ConsulDouble start() {
        return start(Optional.empty(), 1.0);
    }

    /** {@code token}: the one token the double accepts; {@code reapFactor}: TTL multiple at which sessions are reaped. */
    public static ConsulDouble start(Optional<String> token, double reapFactor) {
        return startOn("127.0.0.1", token, reapFactor);
    }

    /** Listening on {@code host} (e.g. a test bridge's address, for clients in network namespaces). */
    public static ConsulDouble startOn(String host, Optional<String> token, double reapFactor) {
        ConsulDouble d = new ConsulDouble(host, token, reapFactor);
        d.listen(0);
        return d;
    }

    private void listen(int onPort) {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(onPort, host)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("consul double: cannot listen on port " + onPort, e);
        }
        port = server.actualPort();
    }

    public int port() {
        return port;
    }

    /** {@code <host>:<port>}, as the {@code consul.host} key takes it. */
    public String hostPort() {
        return host + ":" + port;
    }

    /** Closes the listener: clients see connection refused, like a dead agent. State is kept. */
    public void stop() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("consul double: cannot stop", e);
        }
    }

    /** Listens again on the same port with the same state. */
    public void resume() {
        listen(port);
    }

    public void setCheckStatus(String checkId, String status) {
        store.setCheckStatus(checkId, status);
    }

    /** Destroys a session as Consul does when it invalidates one (its TTL, a failed check). */
    public void invalidate(String sessionId) {
        store.destroy(sessionId);
    }

    public List<String> sessionIds() {
        return store.sessions().stream().map(ConsulStore.Session::id).toList();
    }

    /** The session as {@code /v1/session/info} shows it; empty once invalidated. */
    public Optional<JsonObject> session(String id) {
        return store.session(id).map(ConsulStore.Session::json);
    }

    public JsonObject services() {
        return store.servicesJson();
    }

    public JsonObject checks() {
        return store.checksJson();
    }

    @Override
    public void close() {
        vertx.cancelTimer(reaper);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("consul double: cannot close", e);
        }
    }

    // ---- HTTP

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            try {
                if (!authorized(req)) {
                    return;
                }
                route(req, body);
            } catch (ConsulStore.Refused e) {
                req.response().setStatusCode(e.status).end(e.getMessage());
            } catch (RuntimeException e) {
                req.response().setStatusCode(400).end("Request decode failed: " + e.getMessage());
            }
        });
    }

    private boolean authorized(HttpServerRequest req) {
        if (token.isEmpty()) {
            return true;
        }
        String given = Optional.ofNullable(req.getHeader("X-Consul-Token")).orElse(req.getParam("token"));
        if (given == null || given.isEmpty()) {
            req.response().setStatusCode(403).end("Permission denied");
            return false;
        }
        if (!given.equals(token.get())) {
            req.response().setStatusCode(403).end("ACL not found");
            return false;
        }
        return true;
    }

    private void route(HttpServerRequest req, Buffer body) {
        String path = req.path();
        HttpMethod method = req.method();
        if (path.startsWith("/v1/kv/")) {
            kv(req, path.substring("/v1/kv/".length()), body);
        } else if (path.equals("/v1/txn") && method == HttpMethod.PUT) {
            txn(req, body);
        } else if (path.equals("/v1/session/create") && method == HttpMethod.PUT) {
            createSession(req, body);
        } else if (path.startsWith("/v1/session/renew/") && method == HttpMethod.PUT) {
            String id = path.substring("/v1/session/renew/".length());
            Optional<ConsulStore.Session> s = store.renew(id);
            if (s.isEmpty()) {
                req.response().setStatusCode(404).end("Session id '" + id + "' not found");
            } else {
                json(req, new JsonArray().add(s.get().json()));
            }
        } else if (path.startsWith("/v1/session/destroy/") && method == HttpMethod.PUT) {
            store.destroy(path.substring("/v1/session/destroy/".length()));
            req.response().end("true");
        } else if (path.startsWith("/v1/session/info/")) {
            JsonArray out = new JsonArray();
            store.session(path.substring("/v1/session/info/".length())).ifPresent(s -> out.add(s.json()));
            json(req, out);
        } else if (path.equals("/v1/session/list")) {
            JsonArray out = new JsonArray();
            store.sessions().forEach(s -> out.add(s.json()));
            json(req, out);
        } else if (path.equals("/v1/agent/service/register") && method == HttpMethod.PUT) {
            store.registerService(body.toJsonObject());
            req.response().end();
        } else if (path.startsWith("/v1/agent/service/deregister/") && method == HttpMethod.PUT) {
            store.deregisterService(path.substring("/v1/agent/service/deregister/".length()));
            req.response().end();
        } else if (path.equals("/v1/agent/services")) {
            json(req, store.servicesJson());
        } else if (path.equals("/v1/agent/checks")) {
            json(req, store.checksJson());
        } else {
            req.response().setStatusCode(405).end("method " + method + " not allowed on " + path + " by the consul double");
        }
    }

    private void kv(HttpServerRequest req, String key, Buffer body) {
        boolean recurse = req.params().contains("recurse");
        if (req.method() == HttpMethod.GET) {
            long index = Optional.ofNullable(req.getParam("index")).map(Long::parseLong).orElse(0L);
            Duration wait = Optional.ofNullable(req.getParam("wait")).map(ConsulDouble::duration).orElse(Duration.ofMinutes(5));
            if (wait.compareTo(Duration.ofMinutes(10)) > 0) {
                wait = Duration.ofMinutes(10);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            answerKvRead(req, key, recurse, index, deadline);
        } else if (req.method() == HttpMethod.PUT) {
            boolean ok = store.put(key, body.getBytes(), param(req, "cas").map(Long::parseLong),
                    param(req, "acquire"), param(req, "release"));
            req.response().putHeader("Content-Type", "application/json").end(String.valueOf(ok));
        } else if (req.method() == HttpMethod.DELETE) {
            boolean ok = store.delete(key, recurse, param(req, "cas").map(Long::parseLong));
            req.response().putHeader("Content-Type", "application/json").end(String.valueOf(ok));
        } else {
            req.response().setStatusCode(405).end("method not allowed");
        }
    }

    /** A blocking query re-checks its index after every change, until it moved or the wait ran out. */
    private void answerKvRead(HttpServerRequest req, String key, boolean recurse, long index, long deadline) {
        long current = store.indexOf(key, recurse);
        long remaining = deadline - System.nanoTime();
        if (index == 0 || current > index || remaining <= 0) {
            List<ConsulStore.Entry> entries = store.read(key, recurse);
            req.response().putHeader("X-Consul-Index", String.valueOf(current))
                    .putHeader("X-Consul-KnownLeader", "true").putHeader("X-Consul-LastContact", "0");
            if (entries.isEmpty()) {
                req.response().setStatusCode(404).end();
                return;
            }
            JsonArray out = new JsonArray();
            entries.forEach(e -> out.add(e.json(true)));
            json(req, out);
            return;
        }
        Promise<Void> wake = Promise.promise();
        parked.add(wake);
        long timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)), t -> wake.tryComplete());
        wake.future().onComplete(x -> {
            vertx.cancelTimer(timer);
            answerKvRead(req, key, recurse, index, deadline);
        });
    }

    private void wakeParked() {
        List<Promise<Void>> all = new ArrayList<>(parked);
        parked.clear();
        all.forEach(Promise::tryComplete);
    }

    private void txn(HttpServerRequest req, Buffer body) {
        try {
            JsonArray results = store.txn(body.toJsonArray());
            json(req, new JsonObject().put("Results", results).put("Errors", null));
        } catch (ConsulStore.TxnFailed e) {
            req.response().setStatusCode(409).putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("Results", null)
                    .put("Errors", new JsonArray().add(new JsonObject().put("OpIndex", e.opIndex).put("What", e.getMessage())))
                    .encode());
        }
    }

    private void createSession(HttpServerRequest req, Buffer body) {
        JsonObject o = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        Duration ttl = Optional.ofNullable(o.getString("TTL")).filter(s -> !s.isEmpty()).map(ConsulDouble::duration).orElse(Duration.ZERO);
        Object delay = o.getValue("LockDelay");
        Duration lockDelay = delay == null ? Duration.ofSeconds(15)
                : delay instanceof Number n ? Duration.ofNanos(n.longValue()) : duration(delay.toString());
        List<String> checks = new ArrayList<>();
        JsonArray given = o.getJsonArray("Checks", o.getJsonArray("NodeChecks"));
        if (given == null) {
            checks.add(ConsulStore.SERF_HEALTH); // Consul's default when no checks are named
        } else {
            given.forEach(c -> checks.add(c.toString()));
        }
        String id = store.createSession(o.getString("Name", ""), ttl, o.getString("Behavior", "release"), lockDelay, checks);
        json(req, new JsonObject().put("ID", id));
    }

    private static Optional<String> param(HttpServerRequest req, String name) {
        return Optional.ofNullable(req.getParam(name));
    }

    private static void json(HttpServerRequest req, Object value) {
        String text = value instanceof JsonObject o ? o.encode() : ((JsonArray) value).encode();
        req.response().putHeader("Content-Type", "application/json").end(text);
    }

    /** Go's duration syntax as Consul takes it: {@code 10s}, {@code 1.5m}, {@code 100ms}, {@code 1h30m}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos((long) (amount * unitNanos));
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        return total;
    }
}
