package io.pgha.dcs;

/** The DCS answered but refused: authentication, permission, malformed request. */
public final class DcsRejectedException extends DcsException {
    public DcsRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
