package io.pgha.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Process liveness as PostgreSQL's fate needs it: a zombie is dead, whatever ProcessHandle says. */
public final class Processes {
    private Processes() {
    }

    /**
     * True while {@code pid} exists and is not a zombie. An exited postmaster stays a zombie until
     * its parent (often init, which may reap lazily) collects it; ProcessHandle.isAlive() counts it
     * as alive until then, which would hide a crash for as long.
     */
    /** The PIDs whose parent is {@code parent}, read from /proc (PostgreSQL's backends call setsid, so no process group holds them). */
    public static List<Long> children(long parent) {
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path d : dirs) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    if (f.length > 1 && Long.parseLong(f[1]) == parent) {
                        out.add(Long.parseLong(d.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: only the postmaster is signalled
        }
        return out;
    }

    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')'); // the command name may itself contain spaces or ')'
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
