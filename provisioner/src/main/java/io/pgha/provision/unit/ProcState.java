package io.pgha.provision.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process's start time from /proc/<pid>/stat: with the PID it names one process, not its successor. */
final class ProcState {
    private ProcState() {
    }

    /** Field 22 (starttime, clock ticks since boot); empty when no such process or it is a zombie. */
    static Optional<Long> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
