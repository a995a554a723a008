package io.pgha.provision.apply;

/** A step of apply failed on a host; the message names the host, the step and what the host said. */
public final class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }
}
