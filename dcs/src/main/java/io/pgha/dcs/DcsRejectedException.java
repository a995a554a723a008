package io.pgha.dcs;

/** The DCS answered but refused: authentication, permission, malformed request. */
public sealed class DcsRejectedException extends DcsException permits LeaseGoneException {
    public DcsRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
