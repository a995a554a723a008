package io.pgha.provision.unit;

/** A unit that cannot be read, started or stopped; the message names the unit and why. */
public final class UnitException extends RuntimeException {
    public UnitException(String message) {
        super(message);
    }
}
