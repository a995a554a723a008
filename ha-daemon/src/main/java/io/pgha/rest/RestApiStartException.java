package io.pgha.rest;

/** The REST API could not start listening; the message is one line naming the address. */
public final class RestApiStartException extends RuntimeException {
    RestApiStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
