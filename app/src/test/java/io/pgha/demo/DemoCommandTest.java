package io.pgha.demo;

import com.sun.security.auth.module.UnixSystem;
import io.pgha.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pgha.cli.CliRun.pgha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The demo's answers to bad input; DemoIT runs the demo itself. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void statusWithoutADemoIsAClearUsageError() {
        CliRun status = pgha("demo", "status", "--dir", dir.resolve("nothing-here").toString());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("no demo in").contains("pgha demo up");
        CliRun down = pgha("demo", "down", "--dir", dir.resolve("nothing-here").toString());
        assertThat(down.exit()).isZero();
        assertThat(down.out()).contains("nothing to stop");
    }

    @Test
    void unknownSubcommandsAndOptionsAreRejected() {
        assertThat(pgha("demo", "sideways").exit()).isEqualTo(2);
        assertThat(pgha("demo", "up", "--frobnicate").exit()).isEqualTo(2);
        assertThat(pgha().exit()).isEqualTo(2);
    }

    @Test
    void helpIsAnsweredOnEveryLevel() {
        for (String[] args : new String[][]{{"demo", "--help"}, {"demo", "up", "--help"}, {"demo", "status", "-h"}, {"demo", "down", "--help"}}) {
            CliRun help = pgha(args);
            assertThat(help.exit()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args)).contains("Usage: pgha demo");
        }
    }

    /** As root the demo runs PostgreSQL as postgres, which cannot get past a parent only root may enter. */
    @Test
    void upRefusesAWorkDirectoryBelowAParentPostgresCannotEnterAndChangesNothing() throws IOException {
        assumeTrue(new UnixSystem().getUid() == 0, "only a demo run as root runs PostgreSQL as another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path work = dir.resolve("demo");
        Set<Long> running = liveDescendants();

        CliRun up = pgha("demo", "up", "--dir", work.toString());

        assertThat(up.exit()).as(up.err()).isEqualTo(2);
        assertThat(up.err().strip()).doesNotContain("\n")
                .contains(work.toString(), "user postgres", "cannot enter " + dir + " (no search permission)", "PGHA_DEMO_DIR", "chmod o+x " + dir);
        assertThat(up.out()).as("nothing was started").isEmpty();
        assertThat(work).doesNotExist();
        assertThat(liveDescendants()).isSubsetOf(running);
    }

    @Test
    void upRefusesAnExistingWorkDirectoryPostgresCannotEnterAndLeavesItEmpty() throws IOException {
        assumeTrue(new UnixSystem().getUid() == 0, "only a demo run as root runs PostgreSQL as another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectory(dir.resolve("demo"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));

        CliRun up = pgha("demo", "up", "--dir", work.toString());

        assertThat(up.exit()).as(up.err()).isEqualTo(2);
        assertThat(up.err().strip()).doesNotContain("\n").contains("user postgres", "cannot enter " + work, "chmod o+x " + work);
        assertThat(up.out()).isEmpty();
        try (var created = Files.list(work)) {
            assertThat(created).isEmpty();
        }
    }

    private static Set<Long> liveDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
