package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 2 of the simulation, fixed in Actions: a daemon frozen between deciding "restart
 * PostgreSQL as primary" and doing it woke up after its lease had expired and a replica had taken
 * the key, and still started PostgreSQL as primary. Promote and restart-as-primary now check the
 * lease on the clock at the moment of acting. The shrunk schedule (master seed 13032967938495).
 */
class Finding2StaleDecisionAfterFreezeTest {
    private static final long MS = 1_000_000L;
    private static final Schedule FREEZES = new Schedule(6903852898542956253L, 3, 53 * MS, List.of(
            new ScheduledFault(56_483 * MS, 5_495 * MS, new Fault.DcsPartition(1)),
            new ScheduledFault(67_632 * MS, 5_834 * MS, new Fault.DaemonFreeze(2)),
            new ScheduledFault(73_491 * MS, 14_334 * MS, new Fault.DaemonFreeze(2))));

    @Test
    void aDecisionOutlivedByItsLeaseIsNotCarriedOut() {
        SimSettings settings = SimSettings.norm();
        RunResult r = Simulation.run(settings, FREEZES, Decider.of(new HaCore(settings.rules())), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }
}
