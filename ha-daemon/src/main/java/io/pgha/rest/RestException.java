package io.pgha.rest;

/** A request we answer with a 4xx/5xx and a message, instead of obeying it. */
final class RestException extends RuntimeException {
    private final int status;

    RestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
