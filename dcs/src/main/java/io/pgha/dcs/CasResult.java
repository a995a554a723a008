package io.pgha.dcs;

/** Outcome of a conditional write: a lost race is an ordinary answer, not an exception. */
public sealed interface CasResult {
    record Written(long version) implements CasResult {
    }

    /** The precondition did not hold; {@code currentVersion} is 0 when the key does not exist. */
    record Conflict(long currentVersion) implements CasResult {
    }

    default boolean written() {
        return this instanceof Written;
    }
}
