package io.pgha.sim;

import java.util.function.Predicate;

/**
 * Makes a failing schedule short: drops faults one at a time while the same kind of violation
 * still happens, then halves the durations of what is left where that still fails.
 */
public final class Shrinker {
    private Shrinker() {
    }

    public static Schedule shrink(Schedule failing, Predicate<Schedule> stillFails) {
        Schedule s = failing;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = s.faults().size() - 1; i >= 0; i--) {
                Schedule fewer = s.without(i);
                if (stillFails.test(fewer)) {
                    s = fewer;
                    progress = true;
                }
            }
            for (int i = 0; i < s.faults().size(); i++) {
                ScheduledFault f = s.faults().get(i);
                if (f.lastsNanos() >= 200_000_000L) {
                    Schedule shorter = s.with(i, new ScheduledFault(f.atNanos(), f.lastsNanos() / 2 / 1_000_000 * 1_000_000, f.fault()));
                    if (stillFails.test(shorter)) {
                        s = shorter;
                        progress = true;
                    }
                }
            }
        }
        return s;
    }

    /** The predicate most callers want: the run breaks the same invariant as the original failure. */
    public static Predicate<Schedule> sameViolation(SimSettings settings, Decider decider, Violation original) {
        return s -> Simulation.run(settings, s, decider, false).violation()
                .filter(v -> v.getClass() == original.getClass()).isPresent();
    }
}
