package io.pgha.sim;

import io.pgha.config.SynchronousMode;
import io.pgha.ha.HaCore;
import io.pgha.ha.HaRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finding of the synchronous-mode simulation, fixed in HaCore: in quorum mode a voter whose
 * PostgreSQL was not running (restarting after a crash) answered the peer check with no WAL
 * position, was counted as a vote "at or behind me", and the other voter took over without the
 * commits only the restarting one had acknowledged. The shrunk schedule (master seed 16863287619707).
 */
class FindingQuorumVoterWithoutPositionTest {
    private static final long MS = 1_000_000L;
    private static final Schedule SCHEDULE = new Schedule(-960794438254975228L, 3, 222 * MS, List.of(
            new ScheduledFault(76_798 * MS, 29_603 * MS, new Fault.WatchLoss(2)),
            new ScheduledFault(79_328 * MS, 9_918 * MS, new Fault.PeerPartition(2, 0)),
            new ScheduledFault(80_323 * MS, 6_273 * MS, new Fault.DcsOutage()),
            new ScheduledFault(82_826 * MS, 3_567 * MS, new Fault.NodeCrash(1)),
            new ScheduledFault(88_399 * MS, 194 * MS, new Fault.NodeCrash(2))));

    private static final SimSettings SETTINGS = SimSettings.norm().synchronous(SynchronousMode.QUORUM, 1);

    @Test
    void aVoterThatReportsNoPositionIsNoVote() {
        RunResult r = Simulation.run(SETTINGS, SCHEDULE, Decider.of(new HaCore(SETTINGS.rules())), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }

    @Test
    void theScheduleStillBreaksACoreThatIgnoresTheSyncKey() {
        HaRules careless = SETTINGS.rules().synchronous(false);
        RunResult r = Simulation.run(SETTINGS, SCHEDULE, Decider.of(new HaCore(careless)), false);
        assertThat(r.violation()).isPresent();
    }
}
