package io.pgha.postgres;

/** How a PostgreSQL binary ended: its exit code (-1 when killed at the timeout) and its output. */
public record CommandResult(String what, int exitCode, String output, boolean timedOut) {
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The last line of output, for one-line log messages and member state. */
    public String lastLine() {
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    public String describe() {
        return what + (timedOut ? " timed out" : " exited " + exitCode) + (output.isBlank() ? "" : ": " + lastLine());
    }

    public CommandResult orThrow() {
        if (!ok()) {
            throw new PgCommandException(this);
        }
        return this;
    }
}
