package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.HaCore;
import io.pgha.ha.PgState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker is only worth something if it fails when a safety rule is broken: these break one on purpose. */
class CheckerCatchesBrokenRulesTest {
    private static final SimSettings SETTINGS = SimulationTest.SETTINGS;
    private static final HaCore CORE = new HaCore(SETTINGS.rules());

    /** A core that, seeing no leader key, promotes its replica instead of racing for the key. */
    private static final Decider PROMOTES_WITHOUT_THE_KEY = o -> {
        Decision d = CORE.decide(o);
        boolean leaderless = o.cluster().isPresent() && o.cluster().get().leader().isEmpty();
        return leaderless && o.pg() instanceof PgState.Running r && !r.isPrimary() && d instanceof Decision.AcquireLeader
                ? new Decision.Promote("broken on purpose: promoting without the key") : d;
    };

    @Test
    void aPromotionWithoutTheLeaderKeyIsCaughtAndShrunk() {
        Batch.Outcome out = Batch.run(SETTINGS, PROMOTES_WITHOUT_THE_KEY, 7, 100, SimulationTest.FAULTS_PER_SCHEDULE, 1);
        assertThat(out.safety()).isNotEmpty();
        Batch.Failure f = out.safety().get(0);
        assertThat(f.replay().violation()).get().isInstanceOf(Violation.PromotedWithoutKey.class);
        assertThat(f.shrunk().faults().size()).isLessThanOrEqualTo(2).isLessThan(f.original().schedule().faults().size());
        System.out.println("caught, as it must be:\n" + f.describe());
    }

    @Test
    void aPrimaryWithoutItsFenceIsCaughtAsTwoWriters() {
        Batch.Outcome out = Batch.run(SETTINGS.withoutFence(), Decider.of(CORE), 11, 300, SimulationTest.FAULTS_PER_SCHEDULE, 1);
        assertThat(out.safety()).isNotEmpty();
        Batch.Failure f = out.safety().get(0);
        assertThat(f.replay().violation()).get().isInstanceOf(Violation.TwoWriters.class);
        assertThat(f.shrunk().faults()).as("a frozen or killed daemon is what only the fence (and its keeper) can stop")
                .anyMatch(s -> s.fault() instanceof Fault.DaemonFreeze || s.fault() instanceof Fault.DaemonCrash);
        System.out.println("caught, as it must be:\n" + f.describe());
    }

    @Test
    void aClusterThatNeverElectsIsCaughtAsNoProgress() {
        Decider neverLeads = o -> {
            Decision d = CORE.decide(o);
            return d instanceof Decision.AcquireLeader || d instanceof Decision.RaceInitialize
                    ? new Decision.Wait("broken on purpose: never leading") : d;
        };
        RunResult r = Simulation.run(SETTINGS, new Schedule(3, 3, 0, List.of()), neverLeads, false);
        assertThat(r.violation()).get().isInstanceOf(Violation.NoProgress.class);
        assertThat(r.safe()).isTrue();
    }

    @Test
    void aQuietClusterElectsOnePrimaryAndKeepsIt() {
        RunResult r = Simulation.run(SETTINGS, new Schedule(3, 5, 0, List.of()), Decider.of(CORE), true);
        assertThat(r.violation()).isEmpty();
        assertThat(r.failovers()).isEqualTo(1);
    }
}
