package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays one schedule, printing its full trace: {@code -Dsim.schedule=<schedule seed>} (the number
 * after "schedule seed" in a failure), optionally {@code -Dsim.faults=<n>} for its fault count.
 */
class ReplaySeedTest {
    @Test
    @EnabledIfSystemProperty(named = "sim.schedule", matches = "-?\\d+")
    void replaysOneSchedule() {
        long seed = Long.getLong("sim.schedule");
        Schedule s = ScheduleGenerator.draw(seed, Integer.getInteger("sim.faults", SimulationTest.FAULTS_PER_SCHEDULE));
        RunResult r = Simulation.run(SimulationTest.SETTINGS, s, Decider.of(new HaCore(SimulationTest.SETTINGS.rules())), true);
        System.out.println(s.describe());
        r.trace().forEach(System.out::println);
        r.violation().ifPresent(v -> System.out.println(v.describe()));
        assertThat(r.violation()).as(() -> r.violation().map(Violation::describe).orElse("")).isEmpty();
    }

    @Test
    void theSameScheduleRunsTheSameWay() {
        Schedule s = ScheduleGenerator.draw(42, SimulationTest.FAULTS_PER_SCHEDULE);
        Decider core = Decider.of(new HaCore(SimulationTest.SETTINGS.rules()));
        RunResult a = Simulation.run(SimulationTest.SETTINGS, s, core, true);
        RunResult b = Simulation.run(SimulationTest.SETTINGS, s, core, true);
        assertThat(a.trace()).isNotEmpty().isEqualTo(b.trace());
        assertThat(a.events()).isEqualTo(b.events());
    }
}
