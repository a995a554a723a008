package io.pgha.postgres;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches the postmaster so that its exit is news within {@link #EXIT_POLL_MS}. The JDK's
 * onExit() for a process that is not our child polls with a back-off of up to seconds and counts
 * a zombie as alive, too slow for a crashed primary; a /proc probe every 50 ms costs nothing.
 */
final class ExitWatch implements AutoCloseable {
    static final long EXIT_POLL_MS = 50;
    private volatile long watchedPid;
    private ScheduledExecutorService poller;
    private ScheduledFuture<?> check;
    private volatile Runnable onExit = () -> { };

    void onExit(Runnable callback) {
        this.onExit = callback;
    }

    void watch(long pid) {
        if (watchedPid == pid) {
            return;
        }
        watchedPid = pid;
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (poller == null) {
                poller = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "postmaster-exit");
                    t.setDaemon(true);
                    return t;
                });
            }
            if (check != null) {
                check.cancel(false);
            }
            check = poller.scheduleWithFixedDelay(() -> {
                if (watchedPid != pid) {
                    throw new CancellationException(); // ends this periodic task
                }
                if (!Processes.isRunning(pid)) {
                    watchedPid = 0;
                    onExit.run();
                    throw new CancellationException();
                }
            }, EXIT_POLL_MS, EXIT_POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** For an exit we cause ourselves, which is not news. */
    void forget() {
        watchedPid = 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (poller != null) {
                poller.shutdownNow();
            }
        }
    }
}
