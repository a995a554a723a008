package io.pgha.postgres;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unprivileged OS account PostgreSQL runs as. A daemon started as root runs every PostgreSQL
 * binary as the owner of the data directory (or of its parent before initdb), through setpriv, so
 * that the postmaster's PID is PostgreSQL's own. It refuses to run PostgreSQL as root: the
 * postmaster would refuse anyway, later and less clearly.
 */
public record PgOsUser(String name, boolean switchFromRoot) {

    public static PgOsUser forDataDirectory(Path dataDir) {
        boolean root = new UnixSystem().getUid() == 0;
        if (!root) {
            return new PgOsUser(System.getProperty("user.name"), false);
        }
        Path probe = nearestExisting(dataDir);
        String owner;
        try {
            owner = Files.getOwner(probe).getName();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the owner of " + probe, e);
        }
        if (owner.equals("root") || owner.equals("0")) {
            throw new PgUserException("refusing to run PostgreSQL as root: " + probe + " is owned by root; "
                    + "chown it to an unprivileged user (e.g. `chown postgres: " + probe + "`), PostgreSQL runs as that owner");
        }
        return new PgOsUser(owner, true);
    }

    private static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new PgUserException("no existing parent directory for " + dir);
        }
        // Before initdb the data directory may exist but be empty and root-owned because we just made
        // it; its parent decides then.
        return p;
    }

    /**
     * What a process run as this user needs in its environment beside {@link #wrap}: setpriv keeps
     * root's HOME, and libpq then reads {@code /root/.postgresql/postgresql.crt} for every TLS
     * connection (pg_basebackup, pg_rewind, the walreceiver) and fails on "Permission denied".
     */
    public Map<String, String> environment() {
        if (!switchFromRoot) {
            return Map.of();
        }
        return Map.of("HOME", home(), "USER", name, "LOGNAME", name);
    }

    private String home() {
        try (var lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":", -1)).filter(f -> f.length >= 6 && f[0].equals(name)).map(f -> f[5])
                    .findFirst().orElse("/");
        } catch (IOException e) {
            return "/"; // no home is better than root's
        }
    }

    /** The command line that runs {@code command} as this user. */
    public List<String> wrap(List<String> command) {
        if (!switchFromRoot) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--"));
        out.addAll(command);
        return out;
    }

    /** Makes a file or directory we created (as root) belong to PostgreSQL's user. */
    public void own(Path path) {
        if (!switchFromRoot) {
            return;
        }
        try {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            Files.setOwner(path, user);
            var group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot chown " + path + " to " + name, e);
        }
    }

    /** Creates a directory PostgreSQL accepts as a data directory: its own, mode 0700. */
    public void createPrivateDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            own(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Writes a file readable only by PostgreSQL's user (passwords, configuration). */
    public void writePrivate(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".pgha-tmp");
            Files.deleteIfExists(tmp);
            // Made 0600 in the same call that creates it: written first and restricted after, a
            // passfile would be readable by everyone under the usual umask for a moment.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            own(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
