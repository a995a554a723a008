package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finding of the simulation (master seed 10883913666203), in this session's daemon-restart take-over:
 * the restarted daemon's first cycle decided to take its key over, the DCS went away before it
 * could, and the loop, seeing a primary that did not lead this cycle, disarmed the fence, and with
 * it the deadline taken over from the earlier run's keeper. Frozen a moment later, it kept
 * PostgreSQL writable after a replica took the key. Now a primary that did not get the key keeps
 * the deadline armed before.
 */
class FindingFailedTakeOverDisarmedTheFenceTest {
    private static final long MS = 1_000_000L;
    private static final Schedule SCHEDULE = new Schedule(1561906258693887864L, 3, 964 * MS, List.of(
            new ScheduledFault(37_275 * MS, 1_183 * MS, new Fault.DaemonCrash(1)),
            new ScheduledFault(39_963 * MS, 2_783 * MS, new Fault.DcsOutage()),
            new ScheduledFault(44_693 * MS, 2_028 * MS, new Fault.DaemonFreeze(1))));

    @Test
    void aTakeOverThatDidNotGoThroughLeavesTheFenceArmed() {
        SimSettings settings = SimSettings.norm();
        RunResult r = Simulation.run(settings, SCHEDULE, Decider.of(new HaCore(settings.rules())), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }
}
