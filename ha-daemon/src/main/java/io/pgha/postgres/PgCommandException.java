package io.pgha.postgres;

/** A PostgreSQL binary failed; the message is its one-line description. */
public final class PgCommandException extends RuntimeException {
    private final CommandResult result;

    public PgCommandException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
