package io.pgha.sim;

import io.pgha.config.SynchronousMode;
import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finding of the synchronous-mode simulation (master seed 5936252455060): a leader frozen for 16 s
 * thawed and carried out the "keep leading" it had decided before the freeze, writing the sync key
 * with itself as leader over the key of the leader elected meanwhile; once that one failed, the
 * thawed node, now named the only promotable member, took over without commits the other had
 * acknowledged. The daemon already wrote the key by compare-and-swap on the version it decided on,
 * which the simulation did not model; it deleted the key unconditionally, and it carried out a
 * leader's writes on a lease that had run out. Now the simulation writes as the daemon does, the
 * daemon deletes by compare-and-swap too, and neither acts as leader once its lease is within the
 * safety margin.
 */
class FindingStaleLeaderSyncKeyTest {
    private static final long MS = 1_000_000L;
    private static final Schedule SCHEDULE = new Schedule(-7195570269655640877L, 4, 215 * MS, List.of(
            new ScheduledFault(21_412 * MS, 1_907 * MS, new Fault.DcsOutage()),
            new ScheduledFault(29_337 * MS, 16_027 * MS, new Fault.DaemonFreeze(2)),
            new ScheduledFault(39_967 * MS, 5_902 * MS, new Fault.DcsPartition(1)),
            new ScheduledFault(45_134 * MS, 0, new Fault.PostgresCrash(1))));

    private static final SimSettings SETTINGS = SimSettings.norm().synchronous(SynchronousMode.ON, 2);

    @Test
    void aThawedFormerLeaderDoesNotOverwriteTheSyncKeyOfTheLeaderAfterIt() {
        RunResult r = Simulation.run(SETTINGS, SCHEDULE, Decider.of(new HaCore(SETTINGS.rules())), true);
        String trace = String.join("\n", r.trace());
        assertThat(r.violation()).as(trace).isEmpty();
        assertThat(trace).contains("n2: keep leading: I am n2, the leader with the lock → not done: the lease is within its safety margin");
    }
}
