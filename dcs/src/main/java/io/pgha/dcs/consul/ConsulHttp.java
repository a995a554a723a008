package io.pgha.dcs.consul;

import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thin blocking client of the agent's HTTP API on Vert.x's WebClient: every call answers within
 * the retry timeout (or the blocking query's wait plus that) or throws. A 403 is a rejected token,
 * never retried; no answer, a timeout or a 5xx without a known meaning is an unavailable DCS.
 */
final class ConsulHttp implements AutoCloseable {
    private final ConsulSettings settings;
    private final Vertx vertx;
    private final WebClient client;

    ConsulHttp(ConsulSettings settings) {
        this.settings = settings;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        boolean tls = settings.agent().getScheme().equals("https");
        WebClientOptions options = new WebClientOptions()
                .setDefaultHost(settings.agent().getHost())
                .setDefaultPort(settings.agent().getPort())
                .setSsl(tls)
                .setConnectTimeout((int) settings.retryTimeout().toMillis())
                .setUserAgentEnabled(false);
        if (tls) {
            options.setVerifyHost(settings.verify()).setTrustAll(!settings.verify());
            settings.caCert().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            settings.cert().ifPresent(cert -> options.setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(cert.toString()).setKeyPath(settings.key().orElseThrow().toString())));
        }
        this.client = WebClient.create(vertx, options);
    }

    ConsulSettings settings() {
        return settings;
    }

    /** What the agent answered: status, body and {@code X-Consul-Index} (when it sent one). */
    record Answer(int status, Buffer body, OptionalLong index) {
        String text() {
            return body == null ? "" : body.toString().trim();
        }

        boolean ok() {
            return status == 200;
        }
    }

    Answer call(String what, HttpMethod method, String path, Map<String, String> query, Buffer body) {
        return call(what, method, path, query, body, settings.retryTimeout());
    }

    /** {@code timeout}: longer than the retry timeout only for blocking queries, which hang on purpose. */
    Answer call(String what, HttpMethod method, String path, Map<String, String> query, Buffer body, Duration timeout) {
        HttpRequest<Buffer> request = client.request(method, path).timeout(timeout.toMillis());
        settings.token().ifPresent(t -> request.putHeader("X-Consul-Token", t));
        settings.dc().ifPresent(dc -> request.addQueryParam("dc", dc));
        query.forEach(request::addQueryParam);
        Future<HttpResponse<Buffer>> future = body == null ? request.send() : request.sendBuffer(body);
        HttpResponse<Buffer> response;
        try {
            response = future.toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcsUnavailableException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new DcsUnavailableException(what + ": Consul agent " + settings.agent() + " did not answer ("
                    + e.getCause().getMessage() + ")", e.getCause());
        } catch (TimeoutException e) {
            throw new DcsUnavailableException(what + ": Consul agent " + settings.agent() + " did not answer within "
                    + timeout.toMillis() + " ms", e);
        }
        String header = response.getHeader("X-Consul-Index");
        Answer answer = new Answer(response.statusCode(), response.body(),
                header == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(header)));
        if (answer.status() == 403) {
            throw new DcsRejectedException(what + ": Consul refused the ACL token (403 " + answer.text()
                    + "); check consul.token", null);
        }
        if (answer.status() >= 500 && !answer.text().toLowerCase().contains("invalid session")) {
            throw new DcsUnavailableException(what + ": Consul answered " + answer.status() + " " + answer.text(), null);
        }
        return answer;
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
