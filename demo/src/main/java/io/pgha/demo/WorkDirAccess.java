package io.pgha.demo;

import io.pgha.ctl.UsageError;
import io.pgha.postgres.PgOsUser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the demo can use a work directory, asked before `up` creates or starts anything. Run as
 * root, the demo writes the directory itself but PostgreSQL runs as another user below it: if that
 * user cannot enter the directory or one of its parents, initdb fails with "Permission denied" in a
 * node's log and all `up` reports is an unhealthy cluster.
 */
final class WorkDirAccess {
    private static final long PROBE_SECONDS = 10;

    private final PgOsUser postgres;

    WorkDirAccess(PgOsUser postgres) {
        this.postgres = postgres;
    }

    /** Throws a one-line {@link UsageError} naming the directory, the user and what is missing. */
    void check(Path workDir) throws InterruptedException {
        Path dir = workDir.toAbsolutePath().normalize();
        Path existing = nearestExisting(dir);
        if (!Files.isDirectory(existing)) {
            throw new UsageError("cannot use " + dir + " as the demo directory: " + existing + " is not a directory"
                    + "; choose another --dir or PGHA_DEMO_DIR");
        }
        // Entering the deepest existing directory needs search permission on every parent too, so
        // one probe answers for all of them; the walk from the top only finds which one to name.
        if (!canEnter(existing)) {
            Path blocked = firstNotEnterable(existing);
            throw new UsageError("cannot use " + dir + " as the demo directory: user " + postgres.name()
                    + ", which PostgreSQL runs as, cannot enter " + blocked + " (no search permission)"
                    + "; choose another --dir or PGHA_DEMO_DIR, or let it in, e.g. chmod o+x " + blocked);
        }
        // Writing is the demo's own: it creates the state file, etcd's and the nodes' directories, and
        // hands each node directory to PostgreSQL's user (which is the demo's user unless run as root).
        if (!Files.isWritable(existing)) {
            String user = System.getProperty("user.name");
            throw new UsageError("cannot use " + dir + " as the demo directory: user " + user + " cannot "
                    + (existing.equals(dir) ? "write it" : "create it in " + existing) + " (no write permission)"
                    + "; choose another --dir or PGHA_DEMO_DIR, or make " + existing + " writable for " + user);
        }
    }

    private static Path nearestExisting(Path dir) {
        Path p = dir;
        while (p.getParent() != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private Path firstNotEnterable(Path dir) throws InterruptedException {
        List<Path> fromTop = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            fromTop.add(0, p);
        }
        for (Path p : fromTop) {
            if (!canEnter(p)) {
                return p;
            }
        }
        return dir;
    }

    /** Asks as PostgreSQL's user, the way the daemon runs PostgreSQL, so groups and ACLs count as they will. */
    private boolean canEnter(Path dir) throws InterruptedException {
        List<String> probe = postgres.wrap(List.of("test", "-x", dir.toString()));
        Process process;
        try {
            process = new ProcessBuilder(probe).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask as user " + postgres.name() + " whether it can enter " + dir + ": " + e.getMessage(), e);
        }
        if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("no answer within " + PROBE_SECONDS + " s to whether user " + postgres.name() + " can enter " + dir);
        }
        String complaint;
        try {
            complaint = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            complaint = e.getMessage();
        }
        // test answers 0 or 1 and says nothing; anything else is the switch of user failing (no such user, no setpriv).
        if (process.exitValue() > 1 || !complaint.isEmpty()) {
            throw new IllegalStateException("cannot ask as user " + postgres.name() + " whether it can enter " + dir + ": "
                    + (complaint.isEmpty() ? "exit code " + process.exitValue() : complaint.lines().findFirst().orElse("")));
        }
        return process.exitValue() == 0;
    }
}
