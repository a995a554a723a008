package io.pgha.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The lease deadline, guarded by a small shell process next to the daemon (fence-keeper.sh). The
 * in-JVM {@link Fence} cannot act while the JVM is frozen (SIGSTOP, a stop-the-world pause, a
 * swapped-out heap) or after it was killed; the chaos suite froze a primary's daemon and saw a
 * second primary accept writes until the first one thawed. Without a watchdog device this keeper is
 * what stops such a primary: it outlives and out-waits the daemon, and it is cheap (shell builtins
 * and one {@code sleep} a tenth of a second).
 */
final class FenceKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FenceKeeper.class);

    private static final String NAME = "pgha-fence-keeper";

    private final Path state;
    private final Process process;
    private long written = -1;
    private OptionalLong inheritedNanos = OptionalLong.empty();

    private FenceKeeper(Path state, Process process) {
        this.state = state;
        this.process = process;
    }

    /**
     * Starts the keeper for the postmaster of {@code dataDir}; its state file lives next to the data
     * directory. A keeper left running by an earlier run of the daemon (killed, and restarted by
     * systemd while PostgreSQL kept running) may be guarding a deadline: the new keeper takes that
     * deadline over before the earlier one is stopped, so the primary is never unguarded between
     * the two runs. A deadline in the file with no live keeper behind it is stale (a reboot, a
     * keeper killed with its daemon) and is cleared.
     */
    static FenceKeeper start(Path dataDir) {
        Path state = dataDir.resolveSibling(dataDir.getFileName() + ".fence");
        try (InputStream script = FenceKeeper.class.getResourceAsStream("fence-keeper.sh")) {
            if (script == null) {
                throw new IllegalStateException("fence-keeper.sh missing from the jar");
            }
            List<ProcessHandle> earlier = keepersOf(state);
            long inherited = earlier.isEmpty() ? 0 : armedCentis(state);
            if (inherited == 0) {
                Files.writeString(state, "0\n");
            }
            String text = new String(script.readAllBytes(), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(List.of("/bin/sh", "-c", text, NAME, state.toString(),
                    dataDir.resolve("postmaster.pid").toString(), Long.toString(ProcessHandle.current().pid())))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            earlier.forEach(ProcessHandle::destroy);
            FenceKeeper keeper = new FenceKeeper(state, p);
            if (inherited > 0) {
                keeper.written = inherited;
                keeper.inheritedNanos = OptionalLong.of(System.nanoTime() + (inherited - uptimeCentis()) * 10_000_000L);
                LOG.warn("fence keeper {} guards the lease deadline outside the JVM ({}), taking over {} s left on the deadline that "
                                + "keeper {} of an earlier run guarded", p.pid(), state,
                        String.format(Locale.ROOT, "%.2f", (inherited - uptimeCentis()) / 100.0),
                        earlier.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(", ")));
            } else {
                LOG.info("fence keeper {} guards the lease deadline outside the JVM ({})", p.pid(), state);
            }
            return keeper;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fence keeper", e);
        }
    }

    /** The deadline taken over from an earlier run's keeper, on {@link System#nanoTime()}'s clock. */
    OptionalLong inheritedDeadlineNanos() {
        return inheritedNanos;
    }

    long pid() {
        return process.pid();
    }

    /** Live keepers of an earlier daemon guarding this state file (found by their command line). */
    private static List<ProcessHandle> keepersOf(Path state) {
        String path = state.toString();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(NAME) && List.of(a).contains(path)).orElse(false))
                .toList();
    }

    /** What the state file says, if it is an armed deadline still ahead of the clock; else 0. */
    private static long armedCentis(Path state) {
        try {
            String line = Files.readString(state).trim();
            long centis = line.matches("[0-9]+") ? Long.parseLong(line) : 0;
            return centis > uptimeCentis() ? centis : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Arms the keeper for a deadline on {@link System#nanoTime()}'s clock. */
    synchronized void arm(long deadlineNanos) {
        long centis = uptimeCentis() + Math.max(0, (deadlineNanos - System.nanoTime()) / 10_000_000L);
        write(Math.max(1, centis));
    }

    synchronized void disarm() {
        write(0);
    }

    private void write(long value) {
        if (value == written) {
            return;
        }
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, value + "\n");
            Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = value;
        } catch (IOException e) {
            LOG.warn("fence keeper state not written ({}); the in-JVM fence still guards the lease", e.getMessage());
        }
    }

    /** /proc/uptime, the clock the keeper reads: seconds since boot with two decimals. */
    static long uptimeCentis() {
        try {
            String up = Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0];
            int dot = up.indexOf('.');
            return Long.parseLong(up.substring(0, dot)) * 100 + Long.parseLong((up.substring(dot + 1) + "00").substring(0, 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            Files.writeString(state, "exit\n");
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(state);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
