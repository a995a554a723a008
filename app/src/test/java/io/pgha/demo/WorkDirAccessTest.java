package io.pgha.demo;

import io.pgha.ctl.UsageError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The up-front check of the demo's work directory, asked as the user PostgreSQL will run as. */
class WorkDirAccessTest {
    @TempDir
    Path dir;

    private final WorkDirAccess access = new WorkDirAccess(LocalNode.postgresUser());

    @Test
    void aDirectoryEveryoneMayEnterIsAccepted() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatCode(() -> access.check(dir)).doesNotThrowAnyException();
        assertThatCode(() -> access.check(dir.resolve("not/yet/there"))).as("created by the demo itself").doesNotThrowAnyException();
    }

    @Test
    void aFileInThePlaceOfADirectoryIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertThatThrownBy(() -> access.check(file.resolve("demo")))
                .isInstanceOf(UsageError.class)
                .hasMessage("cannot use " + file.resolve("demo") + " as the demo directory: " + file + " is not a directory"
                        + "; choose another --dir or PGHA_DEMO_DIR");
    }
}
