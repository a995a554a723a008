package io.pgha.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.pgha.demo.CliRun.pgha;
import static org.assertj.core.api.Assertions.assertThat;

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
}
