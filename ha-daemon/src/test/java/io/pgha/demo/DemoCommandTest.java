package io.pgha.demo;

import io.pgha.cli.Pgha;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's answers to bad input; DemoIT runs the demo itself. */
class DemoCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run pgha(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var cmd = Pgha.commandLine();
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void statusWithoutADemoIsAClearUsageError() {
        Run status = pgha("demo", "status", "--dir", dir.resolve("nothing-here").toString());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("no demo in").contains("pgha demo up");
        Run down = pgha("demo", "down", "--dir", dir.resolve("nothing-here").toString());
        assertThat(down.exit()).isZero();
        assertThat(down.out()).contains("nothing to stop");
    }

    @Test
    void unknownSubcommandsAndOptionsAreRejected() {
        assertThat(pgha("demo", "sideways").exit()).isEqualTo(2);
        assertThat(pgha("demo", "up", "--frobnicate").exit()).isEqualTo(2);
        assertThat(pgha().exit()).isEqualTo(2);
    }
}
