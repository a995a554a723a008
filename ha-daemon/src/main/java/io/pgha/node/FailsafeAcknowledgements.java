package io.pgha.node;

import io.pgha.ha.Failsafe;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last {@code POST /failsafe} this node accepted: which primary asked and when (monotonic clock).
 * The REST API records it; the HA loop reads it and does not race for ttl after it. Held in memory
 * only — a restarted daemon has forgotten it, which is why the decision core also refrains from
 * racing for ttl after the daemon started.
 */
public final class FailsafeAcknowledgements {
    private final AtomicReference<Failsafe.Acknowledgement> last = new AtomicReference<>();

    public void record(String leader, long receivedNanos) {
        last.set(new Failsafe.Acknowledgement(leader, receivedNanos));
    }

    public Optional<Failsafe.Acknowledgement> last() {
        return Optional.ofNullable(last.get());
    }
}
