package io.pgha.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import io.pgha.config.PemFiles;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.DcsUnavailableException;
import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * One jetcd client per endpoint and the endpoint currently in use. Every call gets a slice of
 * retry_timeout on the current endpoint and moves on to the next one when it fails or stalls —
 * the way Patroni does it — so a killed, frozen or partitioned etcd member costs one slice, and
 * the whole call still ends within retry_timeout.
 */
final class EtcdEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdEndpoints.class);
    private static final Duration MIN_SLICE = Duration.ofMillis(300);

    private final EtcdSettings settings;
    private final AtomicReferenceArray<Client> clients;
    /** When each endpoint's client was last rebuilt (monotonic nanos); see {@link #reconnectIfBack}. */
    private final AtomicLongArray rebuiltAt;
    private final AtomicInteger current;
    /** The endpoint that answered last, so that only leaving a working endpoint is logged. */
    private volatile int lastAnswered = -1;
    private final MonotonicClock clock;

    EtcdEndpoints(EtcdSettings settings, MonotonicClock clock) {
        this.settings = settings;
        this.clock = clock;
        List<URI> endpoints = settings.endpoints();
        this.clients = new AtomicReferenceArray<>(endpoints.size());
        this.rebuiltAt = new AtomicLongArray(endpoints.size());
        // Each process starts at a random endpoint: every member lists the hosts in the same order,
        // and starting at the first put a whole fleet's connections, watches and reads on one etcd
        // member (at 1,000 clusters: half a core and 1 GB on it, the other two idle).
        this.current = new AtomicInteger(ThreadLocalRandom.current().nextInt(endpoints.size()));
        for (int i = 0; i < endpoints.size(); i++) {
            clients.set(i, build(endpoints.get(i)));
            rebuiltAt.set(i, clock.nanos());
        }
    }

    private Client build(URI endpoint) {
        ClientBuilder b = Client.builder()
                .endpoints(endpoint)
                // Fail fast when the endpoint is down instead of queueing until it returns: we
                // rotate to the next endpoint ourselves.
                .waitForReady(false)
                .retryMaxAttempts(0)
                .connectTimeout(slice())
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(slice());
        settings.username().ifPresent(u -> b.user(ByteSequence.from(u, StandardCharsets.UTF_8)));
        settings.password().ifPresent(p -> b.password(ByteSequence.from(p, StandardCharsets.UTF_8)));
        if (settings.caCert().isPresent() || settings.cert().isPresent() || "https".equals(endpoint.getScheme())) {
            try {
                SslContextBuilder ssl = GrpcSslContexts.forClient();
                settings.caCert().ifPresent(ca -> ssl.trustManager(ca.toFile()));
                if (settings.cert().isPresent()) {
                    ssl.keyManager(PemFiles.privateKey(settings.key().orElseThrow()), PemFiles.certificates(settings.cert().get()));
                }
                b.sslContext(ssl.build());
            } catch (SSLException | IllegalArgumentException e) {
                throw new DcsRejectedException("etcd3: cannot load TLS files (cacert/cert/key): " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** The time one endpoint gets before we try the next. */
    Duration slice() {
        Duration even = settings.retryTimeout().dividedBy(Math.max(1, settings.endpoints().size()));
        return even.compareTo(MIN_SLICE) < 0 ? MIN_SLICE : even;
    }

    int size() {
        return clients.length();
    }

    /** Puts the endpoint at {@code index} first, for tests that need to know which one a call uses. */
    void startAt(int index) {
        current.set(Math.floorMod(index, clients.length()));
    }

    int currentIndex() {
        return current.get();
    }

    Client client(int index) {
        return clients.get(Math.floorMod(index, clients.length()));
    }

    URI endpoint(int index) {
        return settings.endpoints().get(Math.floorMod(index, clients.length()));
    }

    void rotateFrom(int failed, Throwable why) {
        int next = Math.floorMod(failed + 1, clients.length());
        if (current.compareAndSet(failed, next) && clients.length() > 1) {
            if (failed == lastAnswered) {
                lastAnswered = -1; // said once; while nothing answers, the rest is debug
                LOG.info("etcd endpoint {} stopped answering ({}); switching to {}", endpoint(failed), EtcdErrors.describe(why), endpoint(next));
            } else {
                LOG.debug("etcd endpoint {} failed ({}); trying {}", endpoint(failed), EtcdErrors.describe(why), endpoint(next));
            }
        }
    }

    /**
     * Runs {@code op} on the current endpoint, rotating through the others until one answers or
     * retry_timeout is spent. Rejections (auth, permission) are thrown at once: another endpoint
     * would say the same.
     */
    <T> T call(String what, Function<Client, CompletableFuture<T>> op) {
        long start = clock.nanos();
        long deadline = start + settings.retryTimeout().toNanos();
        Throwable last = null;
        int attempts = 0;
        while (true) {
            long remaining = deadline - clock.nanos();
            if (remaining <= 0) {
                throw new DcsUnavailableException(what + ": no etcd endpoint answered within retry_timeout "
                        + settings.retryTimeout().toMillis() + " ms (" + attempts + " attempts over " + settings.endpoints()
                        + "; last error: " + (last == null ? "none" : EtcdErrors.describe(last)) + ")", last);
            }
            int index = current.get();
            attempts++;
            CompletableFuture<T> future;
            try {
                future = op.apply(client(index));
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            try {
                T result = future.get(Math.min(remaining, slice().toNanos()), TimeUnit.NANOSECONDS);
                lastAnswered = index;
                return result;
            } catch (TimeoutException e) {
                future.cancel(true);
                last = new TimeoutException("no answer from " + endpoint(index) + " within " + slice().toMillis() + " ms");
            } catch (ExecutionException e) {
                Optional<String> tls = EtcdErrors.tlsFailure(e);
                if (tls.isPresent()) {
                    throw new DcsRejectedException(what + ": TLS with " + endpoint(index) + " failed: " + tls.get(), EtcdErrors.unwrap(e));
                }
                if (EtcdErrors.isDefinitive(e)) {
                    lastAnswered = index;
                    String message = what + ": etcd refused the request: " + EtcdErrors.describe(e);
                    if (EtcdErrors.isLeaseNotFound(e)) {
                        throw new LeaseGoneException(message, EtcdErrors.unwrap(e));
                    }
                    throw new DcsRejectedException(message, EtcdErrors.unwrap(e));
                }
                last = EtcdErrors.unwrap(e);
                if (EtcdErrors.isConnectFailure(last)) {
                    reconnectIfBack(index, deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DcsUnavailableException(what + ": interrupted", e);
            }
            rotateFrom(index, last);
            if (attempts % clients.length() == 0) {
                // Every endpoint failed once in a row: pause briefly rather than spin on refused connections.
                pause(Math.min(TimeUnit.MILLISECONDS.toNanos(50), Math.max(0, deadline - clock.nanos())));
            }
        }
    }

    /**
     * gRPC keeps a channel whose connection attempts failed in exponential backoff (up to two
     * minutes) and fails every call at once until the next attempt is due, even when etcd is back.
     * After an outage that would keep the daemon away from a healthy DCS far longer than
     * retry_timeout. So when the endpoint accepts TCP connections again while its client still
     * reports a connect failure, replace the client; at most once a second per endpoint.
     */
    private void reconnectIfBack(int index, long deadline) {
        long now = clock.nanos();
        long last = rebuiltAt.get(index);
        if (now - last < TimeUnit.SECONDS.toNanos(1) || !rebuiltAt.compareAndSet(index, last, now)) {
            return;
        }
        URI endpoint = endpoint(index);
        long budget = Math.min(TimeUnit.MILLISECONDS.toNanos(250), deadline - now);
        if (budget <= 0 || !acceptsConnections(endpoint, budget)) {
            return;
        }
        Client stale = clients.getAndSet(index, build(endpoint));
        LOG.info("etcd endpoint {} accepts connections again; reconnecting instead of waiting out the client's backoff", endpoint);
        stale.close();
    }

    private static boolean acceptsConnections(URI endpoint, long budgetNanos) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()),
                    (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < clients.length(); i++) {
            clients.get(i).close();
        }
    }
}
