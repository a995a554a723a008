package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 1 of the simulation, now fixed in HaLoop: a leader that could not reach the DCS decided
 * HOLD ON, but its observation had no snapshot, so {@code Observation.holdsLeaderKey()} was false
 * and {@code HaLoop.cycle} disarmed the fence. The only guard left was the next cycle's DEMOTE, and
 * a cycle against an unreachable DCS takes retry_timeout (3 s) while the safety margin is 2 s: the
 * lease expired on the DCS before that cycle decided, and a replica promoted while the old primary
 * still accepted writes. The shrunk schedule stays as a regression test of the loop as it is.
 */
class Finding1FenceDisarmedWhileDcsUnreachableTest {
    private static final long MS = 1_000_000L;
    /** The shrunk schedule: one 4.152 s DCS partition of the leader (seed −974081879987450628, from master seed 1). */
    private static final Schedule ONE_SHORT_PARTITION = new Schedule(-974081879987450628L, 3, 0,
            List.of(new ScheduledFault(45_221 * MS, 4_152 * MS, new Fault.DcsPartition(0))));

    @Test
    void oneShortDcsPartitionOfTheLeaderMakesNoSecondWriter() {
        SimSettings asItIs = SimSettings.norm();
        RunResult r = Simulation.run(asItIs, ONE_SHORT_PARTITION, Decider.of(new HaCore(asItIs.rules())), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }

    @Test
    void theLoopBeforeTheFixReproducesTheSplitBrain() {
        SimSettings beforeFix = SimSettings.norm().withFenceDisarmedOnHoldOn();
        RunResult r = Simulation.run(beforeFix, ONE_SHORT_PARTITION, Decider.of(new HaCore(beforeFix.rules())), false);
        assertThat(r.violation()).get().isInstanceOf(Violation.TwoWriters.class);
    }
}
