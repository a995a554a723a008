package io.pgha.dcs;

/**
 * Every DCS failure is one of two kinds, because callers react differently: an unavailable DCS is
 * waited out (and a primary fences itself at its lease deadline), a rejected request is a
 * configuration or permission problem that retrying will not fix.
 */
public abstract sealed class DcsException extends RuntimeException
        permits DcsUnavailableException, DcsRejectedException {
    protected DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
