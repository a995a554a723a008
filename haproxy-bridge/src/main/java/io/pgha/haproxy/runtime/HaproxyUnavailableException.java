package io.pgha.haproxy.runtime;

/** HAProxy could not be asked: its socket is missing, refuses, or does not answer in time. The message says which. */
public final class HaproxyUnavailableException extends RuntimeException {
    public HaproxyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public HaproxyUnavailableException(String message) {
        super(message);
    }
}
