package io.pgha.dcs;

/**
 * The DCS answered that the session's lease does not exist: it expired or was revoked, and the
 * keys bound to it (the member key and any leader key) are gone with it, possibly before the
 * deadline this node keeps for it. Whoever held the leader key under it must stop writing now.
 */
public final class LeaseGoneException extends DcsRejectedException {
    public LeaseGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
