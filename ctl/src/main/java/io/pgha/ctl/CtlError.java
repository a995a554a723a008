package io.pgha.ctl;

/** Ends a command with a one-line reason and the exit code that classifies it (see {@link Exit}). */
final class CtlError extends RuntimeException {
    private final int exit;

    private CtlError(int exit, String message) {
        super(message);
        this.exit = exit;
    }

    static CtlError failed(String message) {
        return new CtlError(Exit.FAILED, message);
    }

    static CtlError usage(String message) {
        return new CtlError(Exit.USAGE, message);
    }

    static CtlError unreachable(String message) {
        return new CtlError(Exit.UNREACHABLE, message);
    }

    int exit() {
        return exit;
    }
}
