package io.pgha.vip;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code GET /patroni} on the local daemon (Patroni, or pgha's compatible REST API): failsafe
 * leadership is {@code role} primary (or the legacy master) together with
 * {@code failsafe_mode_is_active: true}, which Patroni reports only while the DCS is unreachable and
 * every member has acknowledged this primary.
 */
public final class PatroniFailsafeProbe implements FailsafeProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public PatroniFailsafeProbe(URI url) {
        this.url = url;
    }

    @Override
    public FailsafeVerdict ask() {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FailsafeVerdict(false, url + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FailsafeVerdict(false, "interrupted while asking " + url);
        }
        return judge(response.statusCode(), response.body());
    }

    FailsafeVerdict judge(int status, String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new FailsafeVerdict(false, url + " answered " + status + " with something other than a JSON object");
        }
        String role = String.valueOf(json.getValue("role"));
        boolean failsafe = Boolean.TRUE.equals(json.getValue("failsafe_mode_is_active"));
        boolean primary = role.equals("primary") || role.equals("master");
        String said = url + " reports role " + role + (failsafe ? " with failsafe_mode_is_active" : " without failsafe_mode_is_active");
        return new FailsafeVerdict(primary && failsafe, said);
    }
}
