package io.pgha.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs the pgha command line in-process as an operator would, with what they type on stdin,
 * capturing exit code, stdout and stderr.
 */
record CtlRun(int exit, String out, String err) {

    static CtlRun pgha(String... args) {
        return withInput("", args);
    }

    static CtlRun withInput(String stdin, String... args) {
        return withInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static CtlRun withInput(InputStream stdin, String... args) {
        InputStream original = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setIn(stdin);
        try {
            var cmd = commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute(args);
            return new CtlRun(exit, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    /** The operator commands under a root named like the executable's, with its error reporting. */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Root());
        OperatorCommands.all().forEach(cmd::addSubcommand);
        return OperatorCommands.reportingOneLine(cmd);
    }

    @Command(name = "pgha", mixinStandardHelpOptions = true)
    static final class Root {
    }

    /** For assertion messages: everything the command printed. */
    String all() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
