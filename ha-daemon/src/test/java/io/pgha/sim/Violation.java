package io.pgha.sim;

import java.util.Locale;

/** An invariant broken at one simulated instant. */
public sealed interface Violation {
    long atNanos();

    String what();

    /** Two nodes accepted writes at the same instant. */
    record TwoWriters(long atNanos, String what) implements Violation {
    }

    /** A node became writable (promotion or primary restart) without holding the leader key on the DCS. */
    record PromotedWithoutKey(long atNanos, String what) implements Violation {
    }

    /** Synchronous mode: a node became writable without a synchronously acknowledged commit, or outside the sync key. */
    record SynchronousPromiseBroken(long atNanos, String what) implements Violation {
    }

    /** A node accepted writes while neither the leader key nor (failsafe mode) every member's promise let it. */
    record WriterWithoutRight(long atNanos, String what) implements Violation {
    }

    /** After every fault healed, no primary held the leader key within the bound. */
    record NoProgress(long atNanos, String what) implements Violation {
    }

    default boolean isSafety() {
        return !(this instanceof NoProgress);
    }

    default String describe() {
        return String.format(Locale.ROOT, "%s at %.3f s: %s", getClass().getSimpleName(), atNanos() / 1e9, what());
    }
}
