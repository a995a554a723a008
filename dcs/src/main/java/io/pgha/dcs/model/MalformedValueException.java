package io.pgha.dcs.model;

/** A DCS value that does not have the shape Patroni (and we) write; the message names the field. */
public final class MalformedValueException extends RuntimeException {
    public MalformedValueException(String message) {
        super(message);
    }
}
