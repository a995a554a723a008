package io.pgha.provision.sandbox;

/** The sandbox could not be brought up or torn down; the message names what and, where there is one, the fix. */
public final class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
