package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.HaCore;
import io.pgha.ha.Observation;

/** The rules under test: the real {@link HaCore}, or a deliberately broken wrapper proving the checker works. */
@FunctionalInterface
public interface Decider {
    Decision decide(Observation o);

    static Decider of(HaCore core) {
        return core::decide;
    }
}
