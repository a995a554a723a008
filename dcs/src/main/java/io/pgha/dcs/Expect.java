package io.pgha.dcs;

/** The precondition of a write. */
public sealed interface Expect {
    /** Create-only: the key must not exist. */
    record Absent() implements Expect {
    }

    /** The key must still be at this version (nobody wrote it since we read it). */
    record AtVersion(long version) implements Expect {
    }

    /** Unconditional. */
    record Anything() implements Expect {
    }

    static Expect absent() {
        return new Absent();
    }

    static Expect version(long version) {
        return new AtVersion(version);
    }

    static Expect anything() {
        return new Anything();
    }
}
