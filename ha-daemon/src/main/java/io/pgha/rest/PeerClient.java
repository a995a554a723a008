package io.pgha.rest;

import io.pgha.config.RestApiConfig;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.PeerStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Asks peers for their status during a leader race: every member at once, each answer bounded by
 * one shared deadline, no retries. A slow peer costs the race at most the timeout, never a multiple
 * of it, and a peer that does not answer in time simply does not count.
 *
 * <p>Blocks the calling thread (the HA loop's) until the deadline at most; never call it from an
 * event loop. The HTTP exchanges themselves run on Vert.x's event loops.
 */
public final class PeerClient {
    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final HttpClient http;

    /**
     * On the daemon's Vert.x instance: the JDK's java.net.http would load some 1,500 classes
     * (about 7 MB of metaspace) into a process whose memory budget is 96 MB, for a few requests
     * per failover.
     */
    public PeerClient(Vertx vertx) {
        this(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxRedirects(0)));
    }

    /**
     * As the node's own API is set up: trusting {@code restapi.cafile} for peers' https api_urls,
     * and showing the node's certificate when the APIs verify clients (they share the CA).
     */
    public static PeerClient forRestApi(Vertx vertx, RestApiConfig config) {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setMaxRedirects(0);
        config.cafile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        if (config.verifyClient().isPresent() && config.certfile().isPresent()) {
            Path cert = config.certfile().get();
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(config.keyfile().orElse(cert).toString()));
        }
        return new PeerClient(vertx.createHttpClient(options));
    }

    /** With a client of your own, e.g. one trusting the cluster's CA for https api_urls. */
    public PeerClient(HttpClient http) {
        this.http = http;
    }

    /**
     * @param memberToApiUrl member name → its {@code api_url} ({@code http://host:8008/patroni})
     * @return one entry per member, in the given order
     */
    public Map<String, PeerStatus> ask(Map<String, String> memberToApiUrl, Duration timeout) {
        Map<String, CompletableFuture<PeerStatus>> pending = new LinkedHashMap<>();
        memberToApiUrl.forEach((member, url) -> pending.put(member, askOne(url, timeout)));
        Map<String, PeerStatus> out = gather(pending, timeout, why -> new PeerStatus.Unreachable(why));
        out.forEach((member, s) -> {
            if (s instanceof PeerStatus.Unreachable u) {
                log.debug("peer {} at {}: {}", member, memberToApiUrl.get(member), u.reason());
            }
        });
        return out;
    }

    /** Waits for all of {@code pending} until one shared deadline; what is not in by then is {@code missing}. */
    private static <T> Map<String, T> gather(Map<String, CompletableFuture<T>> pending, Duration timeout,
                                             Function<String, T> missing) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Collected one by one below: the answers in by now count, the rest are missing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, T> out = new LinkedHashMap<>();
        pending.forEach((member, f) -> {
            out.put(member, f.isDone() && !f.isCompletedExceptionally() ? f.join() : missing.apply("no answer within " + timeout.toMillis() + " ms"));
            f.cancel(true);
        });
        return out;
    }

    /**
     * Failsafe mode: {@code POST /failsafe} with {@code body} to every member at once, each answer
     * bounded by one shared deadline. 200 is an acknowledgement (with the member's WAL position
     * from the {@code lsn} header); anything else, or nothing in time, is not.
     *
     * @param memberToApiUrl member name → its {@code api_url}; the request goes to {@code /failsafe} on that host
     * @param authorization  the {@code Authorization} header to send (the members' restapi.authentication), if any
     */
    public Map<String, FailsafeAnswer> confirmFailsafe(Map<String, String> memberToApiUrl, String body, Optional<String> authorization,
                                                       Duration timeout) {
        Map<String, CompletableFuture<FailsafeAnswer>> pending = new LinkedHashMap<>();
        memberToApiUrl.forEach((member, url) -> pending.put(member, postFailsafe(url, body, authorization, timeout)));
        return gather(pending, timeout, FailsafeAnswer.NotAcknowledged::new);
    }

    private CompletableFuture<FailsafeAnswer> postFailsafe(String apiUrl, String body, Optional<String> authorization, Duration timeout) {
        RequestOptions options;
        try {
            URI uri = URI.create(apiUrl);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(apiUrl);
            }
            URI target = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), "/failsafe", null, null);
            options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                    .putHeader("Content-Type", "application/json").setConnectTimeout(timeout.toMillis()).setTimeout(timeout.toMillis());
            authorization.ifPresent(a -> options.putHeader("Authorization", a));
        } catch (IllegalArgumentException | URISyntaxException e) {
            return CompletableFuture.completedFuture(new FailsafeAnswer.NotAcknowledged("bad api_url \"" + apiUrl + "\""));
        }
        return http.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> failsafeAnswer(response.statusCode(), response.getHeader("lsn"), b.toString())))
                .toCompletionStage().toCompletableFuture()
                .exceptionally(t -> new FailsafeAnswer.NotAcknowledged(describe(t)));
    }

    static FailsafeAnswer failsafeAnswer(int status, String lsnHeader, String body) {
        if (status != 200) {
            String said = body == null ? "" : body.strip().lines().findFirst().orElse("");
            return new FailsafeAnswer.NotAcknowledged("HTTP " + status + (said.isEmpty() ? "" : ": " + (said.length() > 80 ? said.substring(0, 80) : said)));
        }
        long lsn = lsnHeader != null && lsnHeader.trim().matches("\\d{1,18}") ? Long.parseLong(lsnHeader.trim()) : 0;
        return new FailsafeAnswer.Acknowledged(lsn);
    }

    private CompletableFuture<PeerStatus> askOne(String url, Duration timeout) {
        RequestOptions options;
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(url);
            }
            options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).putHeader("Accept", "application/json")
                    .setConnectTimeout(timeout.toMillis()).setTimeout(timeout.toMillis());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new PeerStatus.Unreachable("bad api_url \"" + url + "\""));
        }
        return http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> PeerAnswer.read(response.statusCode(), body.toString())))
                .toCompletionStage().toCompletableFuture()
                .exceptionally(PeerClient::unreachable);
    }

    private static PeerStatus unreachable(Throwable t) {
        return new PeerStatus.Unreachable(describe(t));
    }

    private static String describe(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m.lines().findFirst().orElse("");
    }

    /** Closes the client (not the Vert.x instance it runs on). */
    public void close() {
        http.close();
    }
}
