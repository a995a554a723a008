package io.pgha.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running command whose output lines are stamped with the monotonic time they arrived
 * ({@code ip monitor address}, {@code ip monitor neigh}): event times to the millisecond without
 * polling. Stopped by PID on close, and by a shutdown hook if a test forgets.
 */
public final class LineMonitor implements AutoCloseable {
    private static final Set<LineMonitor> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(LineMonitor::close), "stop-line-monitors"));
    }

    /** One line and System.nanoTime() when it was read. */
    public record Line(String text, long nanos) {
    }

    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;

    private LineMonitor(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "line-monitor-" + process.pid());
        this.reader.setDaemon(true);
    }

    public static LineMonitor start(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            LineMonitor m = new LineMonitor(p);
            LIVE.add(m);
            m.reader.start();
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command), e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Line stamped = new Line(line, System.nanoTime());
                synchronized (lines) {
                    lines.add(stamped);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was stopped
        }
    }

    /** How many lines have arrived so far: a mark to wait for lines after. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The first line after {@code mark} that matches, waiting up to {@code timeout}. */
    public Optional<Line> await(int mark, Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int next = mark;
            while (true) {
                for (; next < lines.size(); next++) {
                    if (matches.test(lines.get(next).text())) {
                        return Optional.of(lines.get(next));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }
}
