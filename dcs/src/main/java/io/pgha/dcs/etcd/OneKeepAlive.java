package io.pgha.dcs.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.VertxLeaseGrpc;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One lease renewal that sends one keepalive. jetcd 0.8.7's {@code Lease.keepAliveOnce} writes the
 * request and then ends its stream with {@code end(request)}, which writes it again: etcd counts two
 * renewals per call (its {@code grpc_server_msg_received_total} for LeaseKeepAlive goes up by 2),
 * which made keepalives half of an idle cluster's etcd load. This opens the same stream on the
 * same stub jetcd uses (its leader-requiring one, with the client's credentials), writes once and
 * ends empty. The stub is jetcd's private field, so when a jetcd upgrade moves it, renewals fall
 * back to {@code keepAliveOnce}, said once in the log, and {@code EtcdKeepAliveTest} fails on the
 * count.
 */
final class OneKeepAlive {
    private static final Logger LOG = LoggerFactory.getLogger(OneKeepAlive.class);
    private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();
    /** Clients are rebuilt on reconnect; the stale ones must not be kept alive by this map. */
    private static final Map<Client, Optional<VertxLeaseGrpc.LeaseVertxStub>> STUBS = Collections.synchronizedMap(new WeakHashMap<>());

    private OneKeepAlive() {
    }

    /** The renewal etcd answered, or empty when etcd no longer has the lease. */
    static CompletableFuture<Optional<LeaseKeepAliveResponse>> send(Client client, long leaseId) {
        Optional<VertxLeaseGrpc.LeaseVertxStub> stub = STUBS.computeIfAbsent(client, OneKeepAlive::stubOf);
        if (stub.isEmpty()) {
            return client.getLeaseClient().keepAliveOnce(leaseId)
                    .thenApply(Optional::of)
                    .exceptionally(EtcdErrors.whenLeaseNotFound(Optional.empty()));
        }
        CompletableFuture<Optional<LeaseKeepAliveResponse>> answer = new CompletableFuture<>();
        AtomicReference<WriteStream<LeaseKeepAliveRequest>> requests = new AtomicReference<>();
        LeaseKeepAliveRequest request = LeaseKeepAliveRequest.newBuilder().setID(leaseId).build();
        stub.get().leaseKeepAliveWithHandler(
                out -> {
                    requests.set(out);
                    out.write(request);
                },
                response -> answer.complete(response.getTTL() > 0 ? Optional.of(new LeaseKeepAliveResponse(response)) : Optional.empty()),
                end -> answer.completeExceptionally(new IllegalStateException("etcd ended the keepalive stream without an answer")),
                answer::completeExceptionally);
        return answer.whenComplete((r, e) -> {
            WriteStream<LeaseKeepAliveRequest> out = requests.get();
            if (out != null) {
                out.end();
            }
        });
    }

    private static Optional<VertxLeaseGrpc.LeaseVertxStub> stubOf(Client client) {
        try {
            Object lease = client.getLeaseClient();
            Field field = lease.getClass().getDeclaredField("leaseStub");
            field.setAccessible(true);
            return Optional.of((VertxLeaseGrpc.LeaseVertxStub) field.get(lease));
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (FALLBACK_SAID.compareAndSet(false, true)) {
                LOG.warn("renewing leases with jetcd's keepAliveOnce, which sends each keepalive twice: its lease stub is not where "
                        + "jetcd 0.8.7 keeps it ({})", e.toString());
            }
            return Optional.empty();
        }
    }
}
