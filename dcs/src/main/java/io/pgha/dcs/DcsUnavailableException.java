package io.pgha.dcs;

/** The DCS did not answer within retry_timeout (no endpoint reachable, no quorum, timeout). */
public final class DcsUnavailableException extends DcsException {
    public DcsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
