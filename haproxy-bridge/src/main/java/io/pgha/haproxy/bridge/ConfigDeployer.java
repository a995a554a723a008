package io.pgha.haproxy.bridge;

import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.runtime.ConfigCheck;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.MasterCli;
import io.pgha.haproxy.runtime.RuntimeApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Puts a rendered config in place and makes HAProxy run it: check it with {@code haproxy -c} first
 * (a bad config never replaces a good one), save the current server states for the new worker to
 * start from, move the file into place atomically, and reload through the master CLI. The old worker
 * keeps serving its established connections until they end; the new one takes the listening sockets.
 */
public final class ConfigDeployer {
    /** HAProxy reports uptime in whole seconds; one more second covers the master parsing before it forks. */
    private static final Duration UPTIME_RESOLUTION = Duration.ofSeconds(2);

    private final HaproxySettings settings;
    private final RuntimeApi runtime;
    private final MasterCli master;
    private final Duration reloadTimeout;

    public sealed interface Outcome {
        /** HAProxy runs the new config in worker {@code workerPid}. */
        record Reloaded(long workerPid, long previousWorkerPid) implements Outcome {
        }

        /** Written; HAProxy is not running and will read it when it starts. */
        record WrittenOnly(String why) implements Outcome {
        }

        /** Refused by {@code haproxy -c}; the previous file stays. */
        record Invalid(String haproxyOutput) implements Outcome {
        }

        /** Written, but HAProxy did not come up on it within the timeout. */
        record ReloadFailed(String why) implements Outcome {
        }
    }

    public ConfigDeployer(HaproxySettings settings, RuntimeApi runtime, MasterCli master, Duration reloadTimeout) {
        this.settings = settings;
        this.runtime = runtime;
        this.master = master;
        this.reloadTimeout = reloadTimeout;
    }

    /** The config file as it is on disk, if any. */
    public Optional<String> current() {
        try {
            return Files.exists(settings.configFile()) ? Optional.of(Files.readString(settings.configFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The config file's text if a worker that has run for {@code workerUptime} must have read it: the
     * file was last changed before that worker started, by more than the second to which HAProxy
     * rounds its uptime. Empty when that cannot be told.
     */
    public Optional<String> readBy(Duration workerUptime) {
        try {
            Path file = settings.configFile();
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            Instant workerStarted = Instant.now().minus(workerUptime).minus(UPTIME_RESOLUTION);
            return modified.isBefore(workerStarted) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A server new to HAProxy, to be started down: HAProxy 2.6 counts every server it has no state
     * for as up until its first check fails, which in a leader-only service means a replica taking
     * writes for up to one check interval after the reload.
     */
    public record StartDown(String backend, String server, String address, int port, int checkPort, int weight) {
        /** A {@code show servers state} (version 1) line: stopped, not in maintenance, checks enabled. */
        String stateLine() {
            return "0 " + backend + " 0 " + server + " " + address + " 0 0 " + weight + " " + weight + " 0 0 0 0 6 0 0 0 - " + port
                    + " - 0 " + checkPort + " - - 0";
        }
    }

    public Outcome deploy(String text) {
        return deploy(text, List.of());
    }

    public Outcome deploy(String text, List<StartDown> startDown) {
        Path target = settings.configFile();
        Path candidate = target.resolveSibling(target.getFileName() + ".pgha-new");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(candidate, text);
            ensureStateFile();
            ConfigCheck.Result check = ConfigCheck.check(settings.haproxyBin(), candidate);
            if (check instanceof ConfigCheck.Result.Invalid invalid) {
                Files.deleteIfExists(candidate);
                return new Outcome.Invalid(invalid.output());
            }
            MasterCli.Processes before;
            try {
                before = master.processes();
                saveServerStates(startDown);
            } catch (HaproxyUnavailableException e) {
                Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new Outcome.WrittenOnly(e.getMessage());
            }
            Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long previous = before.currentWorkers().isEmpty() ? -1 : before.currentWorkers().get(0);
            master.reload();
            return awaitNewWorker(before, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** A reload is done when the master counts it and the runtime socket is answered by a worker that did not run before. */
    private Outcome awaitNewWorker(MasterCli.Processes before, long previous) {
        long deadline = System.nanoTime() + reloadTimeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            try {
                MasterCli.Processes now = master.processes();
                if (now.failedReloads() > before.failedReloads()) {
                    return new Outcome.ReloadFailed("HAProxy's master reports a failed reload; it keeps the previous worker");
                }
                if (now.reloads() > before.reloads() || now.masterPid() != before.masterPid()) {
                    long pid = runtime.workerPid();
                    if (now.currentWorkers().contains(pid) && !before.currentWorkers().contains(pid)) {
                        return new Outcome.Reloaded(pid, previous);
                    }
                    last = "runtime socket still answered by worker " + pid;
                }
            } catch (RuntimeException e) {
                last = e.getMessage(); // the master re-executes itself during a reload: briefly unreachable
            }
            sleep(Duration.ofMillis(20));
        }
        return new Outcome.ReloadFailed("no new HAProxy worker within " + reloadTimeout.toMillis() + " ms (" + last + ")");
    }

    private void saveServerStates(List<StartDown> startDown) throws IOException {
        StringBuilder states = new StringBuilder(runtime.serversStateFile().stripTrailing()).append('\n');
        startDown.forEach(s -> states.append(s.stateLine()).append('\n'));
        Path tmp = settings.stateFile().resolveSibling(settings.stateFile().getFileName() + ".tmp");
        Files.writeString(tmp, states.toString());
        Files.move(tmp, settings.stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** HAProxy warns on every start when the state file named in the config is missing or has no version line. */
    private void ensureStateFile() throws IOException {
        Path state = settings.stateFile();
        if (!Files.exists(state)) {
            Files.createDirectories(state.toAbsolutePath().getParent());
            Files.writeString(state, "1\n");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the HAProxy reload", e);
        }
    }
}
