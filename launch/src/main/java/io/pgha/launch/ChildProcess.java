package io.pgha.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process started by a test, with its output in a log file. It is stopped by PID when closed, and
 * a JVM shutdown hook kills whatever a crashed test left behind, so no etcd or PostgreSQL outlives
 * the test run.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::kill), "kill-test-children"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(String name, List<String> command, Path log, Map<String, String> env) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            ChildProcess child = new ChildProcess(name, builder.start(), log);
            LIVE.add(child);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait until the kernel has reaped it. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
        LIVE.remove(this);
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            Signals.send(pid(), "CONT"); // a frozen process cannot act on SIGTERM
            process.destroy();
            if (!waitForExit(grace)) {
                process.destroyForcibly();
                waitForExit(Duration.ofSeconds(10));
            }
        }
        LIVE.remove(this);
    }

    public void freeze() {
        Signals.send(pid(), "STOP");
    }

    public void thaw() {
        Signals.send(pid(), "CONT");
    }

    /**
     * Lets the process outlive this JVM (the demo's etcd and nodes): it is no longer killed by the
     * shutdown hook, and whoever detached it must record its PID to stop it later.
     */
    public ChildProcess detach() {
        LIVE.remove(this);
        return this;
    }

    public boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** The last lines of the log, for failure messages. */
    public String tail(int lines) {
        return LogTail.of(log, lines);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + "]";
    }
}
