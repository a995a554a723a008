package io.pgha.provision.transport;

/** A host could not be reached or refused the session; the message names the host and why. */
public final class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
