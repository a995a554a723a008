package io.pgha.ctl;

import io.pgha.config.Credentials;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Talks to one member's REST API at the address it published ({@code api_url}). Sends basic auth
 * when credentials are configured (the daemon checks it on unsafe methods only, so it costs GETs
 * nothing). A member that cannot be reached is {@link Unreachable}, not an HTTP status.
 */
final class RestClient {
    /** Nothing answered at the address: connection refused, timed out, bad address. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final Optional<Credentials> auth;
    private final Duration timeout;

    RestClient(Optional<Credentials> auth, Duration timeout) {
        this(auth, timeout, RestTls.SYSTEM);
    }

    RestClient(Optional<Credentials> auth, Duration timeout, RestTls tls) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (!tls.equals(RestTls.SYSTEM)) {
            b.sslContext(tls.context());
        }
        this.http = b
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.auth = auth;
        this.timeout = timeout;
    }

    static RestClient of(Target target) {
        return new RestClient(target.restAuth(), target.timeout(), target.restTls());
    }

    RestAnswer get(String apiUrl, String path) {
        return send("GET", apiUrl, path, Optional.empty(), timeout);
    }

    /**
     * @param wait how long this request may take: longer than the default for the endpoints that
     *             answer only when the operation is over (switchover, restart)
     */
    RestAnswer send(String method, String apiUrl, String path, Optional<JsonObject> body, Duration wait) {
        URI uri = endpoint(apiUrl, path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(wait)
                .method(method, body.map(j -> HttpRequest.BodyPublishers.ofString(j.encode(), StandardCharsets.UTF_8))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(j -> b.header("Content-Type", "application/json"));
        auth.ifPresent(c -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new RestAnswer(r.statusCode(), r.body());
        } catch (IOException e) {
            String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            throw new Unreachable(method + " " + uri + ": " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(method + " " + uri + ": interrupted");
        }
    }

    /** {@code http://10.0.0.4:8008/patroni} + {@code /switchover} → {@code http://10.0.0.4:8008/switchover}. */
    static URI endpoint(String apiUrl, String path) {
        URI u;
        try {
            u = URI.create(apiUrl);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("api_url \"" + apiUrl + "\" is not a URL");
        }
        if (u.getScheme() == null || u.getRawAuthority() == null) {
            throw new Unreachable("api_url \"" + apiUrl + "\" is not an http(s) URL");
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path);
    }
}
