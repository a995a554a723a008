package io.pgha.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process liveness as PostgreSQL's fate needs it: a zombie is dead, whatever ProcessHandle says. */
public final class Processes {
    private Processes() {
    }

    /**
     * True while {@code pid} exists and is not a zombie. An exited postmaster stays a zombie until
     * its parent (often init, which may reap lazily) collects it; ProcessHandle.isAlive() counts it
     * as alive until then, which would hide a crash for as long.
     */
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
