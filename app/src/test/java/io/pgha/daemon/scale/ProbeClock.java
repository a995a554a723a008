package io.pgha.daemon.scale;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the probe writer sent its last write to each cluster, on the JVM's monotonic clock that
 * the watching members share: a member's watch event minus that instant is the delivery delay.
 * One probe per cluster is in flight at a time (the writer visits a cluster again only after all
 * the others), so an event always belongs to the last probe sent.
 */
final class ProbeClock {
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    void sent(String scope, long nanos) {
        sentAt.put(scope, nanos);
    }

    Optional<Long> delivered(String scope) {
        Long sent = sentAt.get(scope);
        return sent == null ? Optional.empty() : Optional.of(System.nanoTime() - sent);
    }

}
