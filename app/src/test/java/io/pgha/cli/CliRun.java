package io.pgha.cli;


import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the pgha command line in-process the way a user runs it, capturing exit code, stdout and stderr. */
public record CliRun(int exit, String out, String err) {

    public static CliRun pgha(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var cmd = Pgha.commandLine();
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute(args);
            return new CliRun(exit, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }
}
