package io.pgha.testing;

import java.util.List;

/** Tear-down of what a test started: one failed step must not leave the rest running. */
public final class Cleanup {
    private Cleanup() {
    }

    /** Runs every step, even after one throws; then throws with the first failure, naming {@code what}. */
    public static void all(String what, List<Runnable> steps) {
        Throwable first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (Throwable t) { // Errors too: a NoClassDefFoundError in one step must not skip the others
                first = first == null ? t : first;
            }
        }
        if (first != null) {
            throw new IllegalStateException(what + " cleanup incomplete: " + first, first);
        }
    }
}
