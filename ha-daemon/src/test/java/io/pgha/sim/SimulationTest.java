package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@link HaCore}, driven through thousands of random fault schedules in simulated time.
 * The master seed is printed; {@code -Dsim.seed=<n>} runs the batch from that seed instead, and
 * {@code -Dsim.schedules=<n>} changes how many schedules it draws, {@code -Dsim.haloop=before-fix} models
 * HaLoop as it was before finding 1 was fixed. {@link ReplaySeedTest} replays one schedule.
 */
class SimulationTest {
    static final SimSettings SETTINGS = "before-fix".equals(System.getProperty("sim.haloop"))
            ? SimSettings.norm().withFenceDisarmedOnHoldOn() : SimSettings.norm();
    static final int FAULTS_PER_SCHEDULE = 20;
    private static Batch.Outcome outcome;

    @BeforeAll
    static void runBatch() {
        long seed = Long.getLong("sim.seed", System.nanoTime());
        int schedules = Integer.getInteger("sim.schedules", 2000);
        long t0 = System.nanoTime();
        outcome = Batch.run(SETTINGS, Decider.of(new HaCore(SETTINGS.rules())), seed, schedules, FAULTS_PER_SCHEDULE, 3);
        System.out.printf("simulation: master seed %d (replay with -Dsim.seed=%d), %d schedules × %d faults, %d events, "
                        + "%d promotions, %d safety and %d liveness violation(s), %.1f s%n",
                seed, seed, schedules, FAULTS_PER_SCHEDULE, outcome.events(), outcome.failovers(), outcome.safety().size(),
                outcome.liveness().size(), (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void noTwoWritersAndNoPromotionWithoutTheKey() {
        assertThat(outcome.safety()).as(() -> "safety violations (master seed " + outcome.masterSeed() + "):\n"
                + outcome.safety().stream().map(Batch.Failure::describe).collect(Collectors.joining("\n\n"))).isEmpty();
    }

    @Test
    void aPrimaryHoldsTheKeyOnceFaultsHeal() {
        assertThat(outcome.liveness()).as(() -> "liveness violations (master seed " + outcome.masterSeed() + "):\n"
                + outcome.liveness().stream().map(Batch.Failure::describe).collect(Collectors.joining("\n\n"))).isEmpty();
    }

    @Test
    void theBatchExercisesFailovers() {
        assertThat(outcome.failovers()).as("promotions across the batch").isGreaterThan(outcome.schedules());
    }
}
