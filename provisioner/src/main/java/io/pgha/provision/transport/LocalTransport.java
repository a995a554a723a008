package io.pgha.provision.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * This machine as a host: commands through {@code sh -c} (through {@code sudo -n} when this process
 * is not root), files with Java NIO, a write going to a temporary file in the target's directory
 * and then renamed over it atomically.
 */
public final class LocalTransport implements Transport {
    /** Threads that feed and drain commands' pipes: blocking I/O, so not the common pool. */
    private static final java.util.concurrent.ExecutorService PIPES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-transport-pipe");
        t.setDaemon(true);
        return t;
    });
    private final String host;
    private final boolean root;

    public LocalTransport() {
        this("localhost");
    }

    /** @param host the name the inventory gives this machine, used in messages */
    public LocalTransport(String host) {
        this.host = host;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Exec run(String command, Optional<byte[]> stdin, Duration timeout) {
        List<String> argv = new ArrayList<>(root ? List.of() : List.of("sudo", "-n"));
        argv.addAll(List.of("sh", "-c", command));
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new TransportException(host + ": cannot start sh: " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (stdin.isPresent()) {
                    o.write(stdin.get());
                }
            } catch (IOException e) {
                // the command exited without reading all of its input: its exit status tells
            }
        }, PIPES);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new TransportException(host + ": `" + firstLine(command) + "` did not finish within " + timeout.toMillis() + " ms");
            }
            in.get(10, TimeUnit.SECONDS);
            return new Exec(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new TransportException(host + ": interrupted while running `" + firstLine(command) + "`", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the command exited but a background child of it keeps its output open
            throw new TransportException(host + ": `" + firstLine(command) + "` exited, but its output stays open (a background"
                    + " process holding stdout/stderr?)", e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = stream) {
                return s.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, PIPES);
    }

    private static String firstLine(String command) {
        return command.strip().lines().findFirst().orElse("");
    }

    @Override
    public Optional<byte[]> read(String path) {
        FileScripts.checkPath(path);
        try {
            return Optional.of(Files.readAllBytes(Path.of(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TransportException(host + ": cannot read " + path + ": " + e, e);
        }
    }

    @Override
    public void write(String path, byte[] content, String mode, String owner, String group) {
        FileScripts.checkWrite(path, mode, owner, group);
        Path target = Path.of(path);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".pgha-", "");
            Files.write(tmp, content);
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
            view.setOwner(users.lookupPrincipalByName(owner));
            GroupPrincipal g = users.lookupPrincipalByGroupName(group);
            view.setGroup(g);
            // After chown: chown clears setuid/setgid bits.
            view.setPermissions(permissions(Integer.parseInt(mode, 8)));
            if ((Integer.parseInt(mode, 8) & 07000) != 0) {
                Exec chmod = run("chmod " + mode + " " + Shell.quote(tmp.toString()), Duration.ofSeconds(30));
                if (!chmod.ok()) {
                    throw new IOException("chmod " + mode + ": " + chmod.stderr().strip());
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            if (e instanceof TransportException te) {
                throw te;
            }
            throw new TransportException(host + ": cannot write " + path + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file has a name no reader looks for
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return "local " + host;
    }
}
