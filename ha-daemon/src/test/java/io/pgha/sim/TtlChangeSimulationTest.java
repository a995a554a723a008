package io.pgha.sim;

import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ttl changed in the config while faults happen: every member moves to a lease of the new TTL
 * (LeasePlan, FencePlan.beforeMovingLease, the move of MemberSession.relet), both ways, and the
 * rules still never let two primaries write. A model whose lease deadline (and fence) counts with
 * the bootstrap ttl instead of the TTL the lease now has is caught, so the batch would notice it.
 */
class TtlChangeSimulationTest {
    private static final long S = 1_000_000_000L;
    private static final Duration SHORT = Duration.ofSeconds(8);
    private static final Duration LONG = Duration.ofSeconds(20);
    private static final SimSettings SETTINGS = SimSettings.norm();
    private static final Decider CORE = Decider.of(new HaCore(SETTINGS.rules()));

    @Test
    void randomFaultsWithTheTtlChangedBothWaysNeverMakeTwoWritersAndAPrimaryReturns() {
        long master = Long.getLong("sim.seed", System.nanoTime());
        Random seeds = new Random(master);
        int runs = 600;
        int unsafe = 0;
        int stuck = 0;
        List<String> first = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Schedule schedule = ScheduleGenerator.draw(seeds.nextLong(), SimulationTest.FAULTS_PER_SCHEDULE);
            Random r = new Random(schedule.seed());
            List<TtlChange> changes = new ArrayList<>();
            long span = Math.max(1, schedule.lastHealNanos() - Simulation.BOOT_NANOS);
            long at = Simulation.BOOT_NANOS;
            for (int c = 0; c < 4; c++) {
                at += (long) (r.nextDouble() * span / 4);
                changes.add(new TtlChange(at, c % 2 == 0 ? LONG : SHORT)); // 8 → 20 → 8 → 20 → 8
            }
            RunResult result = new Simulation(SETTINGS, schedule, CORE, false, changes, true).run();
            if (!result.safe() || !result.live()) {
                unsafe += result.safe() ? 0 : 1;
                stuck += result.live() ? 0 : 1;
                if (first.isEmpty()) {
                    first.add(result.violation().orElseThrow() + "\n" + schedule + "\nttl changes " + changes);
                }
            }
        }
        System.out.printf("ttl-change simulation: master seed %d, %d schedules, %d unsafe, %d without a primary at the end%n",
                master, runs, unsafe, stuck);
        assertThat(unsafe + stuck).as("violations (master seed %d): %s", master, first).isZero();
    }

    /** Bootstrapped with ttl 20, changed to 8, then node {@code victim} cut from the DCS half a second later. */
    private static RunResult shortenedThenCutOff(int victim, boolean fenceFollowsTheGrantedTtl, boolean tracing) {
        Schedule schedule = new Schedule(5, 3, 0, List.of(new ScheduledFault(30 * S + S / 2, 30 * S, new Fault.DcsPartition(victim))));
        return new Simulation(SETTINGS.withTtl(LONG), schedule, CORE, tracing, List.of(new TtlChange(30 * S, SHORT)), fenceFollowsTheGrantedTtl)
                .run();
    }

    @Test
    void aPrimaryCutOffRightAfterShorteningItsLeaseStopsBeforeTheNewLeaseRunsOut() {
        for (int victim = 0; victim < 3; victim++) {
            RunResult r = shortenedThenCutOff(victim, true, true);
            assertThat(r.violation()).as("n%d cut off: %s", victim, String.join("\n", r.trace())).isEmpty();
            assertThat(r.trace()).anyMatch(l -> l.contains("lease ttl 20 s → 8 s; leader and member keys moved"));
        }
    }

    @Test
    void aFenceCountingWithTheBootstrapTtlAfterTheMoveIsCaughtAsTwoWriters() {
        List<Violation> caught = new ArrayList<>();
        for (int victim = 0; victim < 3; victim++) {
            shortenedThenCutOff(victim, false, false).violation().filter(Violation::isSafety).ifPresent(caught::add);
        }
        assertThat(caught).as("the primary, whichever it was, wrote on past its new lease").isNotEmpty()
                .allMatch(v -> v instanceof Violation.TwoWriters);
    }
}
