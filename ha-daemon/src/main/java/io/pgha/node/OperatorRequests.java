package io.pgha.node;

import io.pgha.ha.OperatorRequest;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one operator request waiting for the HA loop (restart, reinitialize, reload), possibly
 * scheduled. One at a time, like Patroni: a second one is refused while the first is pending, so
 * two operators cannot interleave a restart and a reinit on the same node.
 */
public final class OperatorRequests {
    /** What became of a request: done, or why not, in words for the REST answer. */
    public record Outcome(boolean done, String message) {
    }

    public record Pending(OperatorRequest request, Optional<Instant> notBefore, CompletableFuture<Outcome> outcome) {
    }

    private Pending pending;

    /** Queues {@code request}; empty when another one is still pending. */
    public synchronized Optional<CompletableFuture<Outcome>> submit(OperatorRequest request, Optional<Instant> notBefore) {
        if (pending != null && !pending.outcome().isDone()) {
            return Optional.empty();
        }
        pending = new Pending(request, notBefore, new CompletableFuture<>());
        return Optional.of(pending.outcome());
    }

    /** The pending request when it is due at {@code now}. */
    public synchronized Optional<Pending> due(Instant now) {
        if (pending == null || pending.outcome().isDone()) {
            return Optional.empty();
        }
        return pending.notBefore().filter(now::isBefore).isPresent() ? Optional.empty() : Optional.of(pending);
    }

    /** The scheduled one, for the loop's next wake-up and for {@code DELETE /restart}. */
    public synchronized Optional<Pending> scheduled() {
        return pending != null && !pending.outcome().isDone() && pending.notBefore().isPresent() ? Optional.of(pending) : Optional.empty();
    }

    /** Cancels a scheduled request of this kind; false when there is none. */
    public synchronized boolean cancelScheduled(String what) {
        if (pending == null || pending.outcome().isDone() || pending.notBefore().isEmpty() || !pending.request().what().equals(what)) {
            return false;
        }
        pending.outcome().complete(new Outcome(false, "cancelled"));
        pending = null;
        return true;
    }
}
