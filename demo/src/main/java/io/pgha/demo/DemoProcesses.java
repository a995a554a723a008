package io.pgha.demo;

import io.pgha.postgres.Processes;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Stops what the demo started, by PID, after checking the PID still belongs to that program. */
final class DemoProcesses {
    private DemoProcesses() {
    }

    static boolean isRunning(long pid, String program) {
        // A zombie (exited, not yet reaped by a lazy init) is not running, whatever isAlive() says.
        return ProcessHandle.of(pid).filter(h -> Processes.isRunning(pid))
                .flatMap(h -> h.info().command())
                .map(cmd -> cmd.endsWith("/" + program) || cmd.equals(program))
                .orElse(false);
    }

    /** SIGTERM, then SIGKILL after the grace period; true if it was running. */
    static boolean stop(long pid, String program, Duration grace) {
        if (!isRunning(pid, program)) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        handle.ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        return true;
    }
}
