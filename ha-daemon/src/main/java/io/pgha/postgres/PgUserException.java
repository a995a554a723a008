package io.pgha.postgres;

/** The OS account for PostgreSQL cannot be used (root, missing): an operator must fix ownership. */
public final class PgUserException extends RuntimeException {
    public PgUserException(String message) {
        super(message);
    }
}
