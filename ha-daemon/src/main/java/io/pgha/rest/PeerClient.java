package io.pgha.rest;

import io.pgha.ha.PeerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks peers for their status during a leader race: every member at once, each answer bounded by
 * one shared deadline, no retries. A slow peer costs the race at most the timeout, never a multiple
 * of it, and a peer that does not answer in time simply does not count.
 *
 * <p>Blocks the calling thread (the HA loop's) until the deadline at most; never call it from an
 * event loop. The HTTP exchanges themselves run on the JDK client's own threads.
 */
public final class PeerClient {
    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final HttpClient http;

    public PeerClient() {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
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
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, CompletableFuture<PeerStatus>> pending = new LinkedHashMap<>();
        memberToApiUrl.forEach((member, url) -> pending.put(member, askOne(url, timeout)));
        try {
            CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Collected one by one below: the answers in by now count, the rest are unreachable.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, PeerStatus> out = new LinkedHashMap<>();
        pending.forEach((member, f) -> {
            PeerStatus s = f.isDone() && !f.isCompletedExceptionally()
                    ? f.join()
                    : new PeerStatus.Unreachable("no answer within " + timeout.toMillis() + " ms");
            f.cancel(true);
            if (s instanceof PeerStatus.Unreachable u) {
                log.debug("peer {} at {}: {}", member, memberToApiUrl.get(member), u.reason());
            }
            out.put(member, s);
        });
        return out;
    }

    private CompletableFuture<PeerStatus> askOne(String url, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new PeerStatus.Unreachable("bad api_url \"" + url + "\""));
        }
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> PeerAnswer.read(r.statusCode(), r.body()))
                    .exceptionally(PeerClient::unreachable);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new PeerStatus.Unreachable("bad api_url \"" + url + "\""));
        }
    }

    private static PeerStatus unreachable(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof HttpConnectTimeoutException) {
            return new PeerStatus.Unreachable("connect timeout");
        }
        if (e instanceof HttpTimeoutException) {
            return new PeerStatus.Unreachable("no answer in time");
        }
        if (e instanceof IOException) {
            return new PeerStatus.Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new PeerStatus.Unreachable(e.toString());
    }
}
