package io.pgha.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** postmaster.pid: which postmaster runs for a data directory, and the lock a dead one left behind. */
final class PostmasterLock {
    // The parts of Postgres log under its name, which operators' log filters already know.
    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private PostmasterLock() {
    }

    /** The running postmaster of {@code dataDir}, by its postmaster.pid. */
    static Optional<Long> runningPid(Path dataDir) {
        return pidInLockFile(dataDir).filter(Processes::isRunning)
                .filter(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().command())
                        .map(c -> c.endsWith("postgres") || c.endsWith("postmaster")).orElse(true));
    }

    private static Optional<Long> pidInLockFile(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() || lines.get(0).isBlank() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // no lock file, or one being written: no postmaster we could name
        }
    }

    /**
     * A crashed postmaster stays a zombie until its parent reaps it, and PostgreSQL reads a zombie's
     * PID in postmaster.pid as "another postmaster is running". A dead PID's lock protects nothing;
     * PostgreSQL's own shared-memory check still refuses to start while old backends are attached.
     */
    static void removeIfDead(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = pidInLockFile(dataDir);
        if (pid.isPresent() && !Processes.isRunning(pid.get())) {
            try {
                // The socket's lock file names the same PID, and PostgreSQL would wait for it too.
                Optional<Path> socketLock = socketLockOf(pidFile);
                Files.deleteIfExists(pidFile);
                if (socketLock.isPresent() && pidIn(socketLock.get()).equals(pid)) {
                    Files.deleteIfExists(socketLock.get());
                }
                LOG.info("removed the lock files of dead postmaster {}", pid.get());
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", pidFile, e.getMessage());
            }
        }
    }

    /** postmaster.pid's 4th and 5th lines are the port and the first Unix socket directory. */
    private static Optional<Path> socketLockOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 5 || lines.get(4).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(lines.get(4).trim(), ".s.PGSQL." + lines.get(3).trim() + ".lock"));
    }

    private static Optional<Long> pidIn(Path lockFile) {
        try {
            String first = Files.readAllLines(lockFile).stream().findFirst().orElse("").trim();
            return Optional.of(Math.abs(Long.parseLong(first)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
