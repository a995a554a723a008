package io.pgha.sim;

import io.pgha.config.SynchronousMode;
import io.pgha.ha.HaCore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation in synchronous_mode on and quorum: the leader runs the real {@link io.pgha.ha.SyncPlan}
 * each cycle and {@link SimSync} tracks what was acknowledged under a GUC naming standbys. Beyond the
 * usual invariants, no node may become writable without every such commit, nor, while the sync key
 * is active, unless the key names it. Seeds are printed; {@code -Dsim.seed} replays a batch.
 */
class SyncSimulationTest {
    @ParameterizedTest(name = "synchronous_mode {0}, synchronous_node_count {1}")
    @CsvSource({"ON, 1", "ON, 2", "QUORUM, 1", "QUORUM, 2"})
    void noAcknowledgedCommitIsLostAndOnlyTheSyncKeyMayBePromoted(SynchronousMode mode, int count) {
        SimSettings settings = SimSettings.norm().synchronous(mode, count);
        long seed = Long.getLong("sim.seed", System.nanoTime());
        int schedules = Integer.getInteger("sim.sync.schedules", 400);
        long t0 = System.nanoTime();
        Batch.Outcome outcome = Batch.run(settings, Decider.of(new HaCore(settings.rules())), seed, schedules, SimulationTest.FAULTS_PER_SCHEDULE, 3);
        System.out.printf("simulation (%s, count %d, 3-5 nodes): master seed %d, %d schedules, %d events, %d promotions, "
                        + "%d safety and %d liveness violation(s), %.1f s%n", mode, count, seed, schedules, outcome.events(),
                outcome.failovers(), outcome.safety().size(), outcome.liveness().size(), (System.nanoTime() - t0) / 1e9);
        assertThat(outcome.safety()).as(() -> "safety violations (master seed " + seed + "):\n"
                + outcome.safety().stream().map(Batch.Failure::describe).collect(Collectors.joining("\n\n"))).isEmpty();
        assertThat(outcome.liveness()).as(() -> "liveness violations (master seed " + seed + "):\n"
                + outcome.liveness().stream().map(Batch.Failure::describe).collect(Collectors.joining("\n\n"))).isEmpty();
        assertThat(outcome.failovers()).as("promotions across the batch").isGreaterThan(schedules / 2);
    }

    @org.junit.jupiter.api.Test
    void theCheckerCatchesACoreThatIgnoresTheSyncKey() {
        SimSettings settings = SimSettings.norm().synchronous(SynchronousMode.ON, 1);
        long seed = Long.getLong("sim.seed", System.nanoTime());
        Batch.Outcome outcome = Batch.run(settings, Decider.of(new HaCore(settings.rules().synchronous(false))), seed, 200,
                SimulationTest.FAULTS_PER_SCHEDULE, 1);
        assertThat(outcome.safety()).as("master seed " + seed).isNotEmpty();
        assertThat(outcome.safety().get(0).describe()).contains("SynchronousPromiseBroken");
    }
}
