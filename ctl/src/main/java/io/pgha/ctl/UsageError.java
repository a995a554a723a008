package io.pgha.ctl;

/** An operator error (bad argument, wrong state) as opposed to a failure of the system: exit code 2. */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
