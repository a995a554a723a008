package io.pgha.ctl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends a request that answers only when its operation is over (switchover, failover, restart) and,
 * meanwhile, polls the member's progress every 100 ms so that the operator sees each phase as it
 * happens instead of a silent wait.
 */
final class Followed {
    static final Duration POLL = Duration.ofMillis(100);
    /** After the answer, phases still being recorded (following) get this long to show up. */
    static final Duration TAIL = Duration.ofSeconds(5);

    private Followed() {
    }

    static RestAnswer run(Supplier<RestAnswer> request, OperationWatch watch) throws InterruptedException {
        CompletableFuture<RestAnswer> answer = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                answer.complete(request.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, "pgha-request");
        sender.setDaemon(true);
        sender.start();
        while (true) {
            try {
                RestAnswer a = answer.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                finish(watch);
                return a;
            } catch (TimeoutException e) {
                watch.poll();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /** Polls until the member reports the operation over, for at most {@link #TAIL}. */
    static void finish(OperationWatch watch) throws InterruptedException {
        watch.poll();
        long deadline = System.nanoTime() + TAIL.toNanos();
        while (watch.operation().map(Operation::running).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis()); // the polling period, not a guess at when it is done
            watch.poll();
        }
    }
}
