package io.pgha.postgres;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test directories PostgreSQL may use: when the tests run as root, they belong to user postgres. */
final class PgDirs {
    private PgDirs() {
    }

    static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (new UnixSystem().getUid() == 0) {
            new PgOsUser("postgres", true).own(dir);
        }
        return dir;
    }
}
