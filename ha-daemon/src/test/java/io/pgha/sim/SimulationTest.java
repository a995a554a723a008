package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@link HaCore}, driven through thousands of random fault schedules in simulated time.
 * The master seed is printed; {@code -Dsim.seed=<n>} runs the batch from that seed instead, and
 * {@code -Dsim.schedules=<n>} changes how many schedules it draws, {@code -Dsim.haloop=as-is} models
 * HaLoop exactly as it is today (finding 1 included). {@link ReplaySeedTest} replays one schedule.
 */
class SimulationTest {
    /** Finding 1 (HaLoop disarms the fence on HOLD ON) fails every batch; until it is fixed the batch models the fix. See Finding1Test. */
    static final SimSettings SETTINGS = "as-is".equals(System.getProperty("sim.haloop"))
            ? SimSettings.norm() : SimSettings.norm().withFenceKeptWhileDcsUnreachable();
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
