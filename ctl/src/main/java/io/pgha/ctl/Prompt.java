package io.pgha.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Asks the operator on the terminal. End of input counts as "no": a command run without a terminal
 * and without --force changes nothing.
 */
final class Prompt {
    private final PrintWriter out;
    private final BufferedReader in;

    Prompt(PrintWriter out, BufferedReader in) {
        this.out = out;
        this.in = in;
    }

    /** y/N question; anything but y or yes is no. */
    boolean confirm(String question) {
        String answer = ask(question + " [y/N]: ");
        return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
    }

    /** The typed line, trimmed; empty at end of input. */
    String ask(String question) {
        out.print(question);
        out.flush();
        try {
            String line = in.readLine();
            if (line == null) {
                out.println();
                out.flush();
                return "";
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the answer", e);
        }
    }

    /** Aborts the command when the operator did not confirm. */
    void require(String question, String what) {
        if (!confirm(question)) {
            throw CtlError.failed("aborted, " + what);
        }
    }
}
