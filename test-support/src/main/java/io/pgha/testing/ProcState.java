package io.pgha.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's state from /proc/&lt;pid&gt;/stat. PID 1 on our machines reaps orphans lazily, so a dead
 * process can linger as a zombie; ProcessHandle.isAlive() calls that alive, this does not.
 */
public final class ProcState {
    private ProcState() {
    }

    /** Alive = present and not a zombie (Z) or dead (X). */
    public static boolean isAlive(long pid) {
        return stat(pid).map(s -> s.state() != 'Z' && s.state() != 'X').orElse(false);
    }

    /** Start time in clock ticks since boot; with the PID it names one process, even after PID reuse. */
    public static Optional<Long> startTime(long pid) {
        return stat(pid).map(Stat::startTime);
    }

    private record Stat(char state, long startTime) {
    }

    private static Optional<Stat> stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
        String[] rest = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
        return Optional.of(new Stat(rest[0].charAt(0), Long.parseLong(rest[19])));
    }
}
