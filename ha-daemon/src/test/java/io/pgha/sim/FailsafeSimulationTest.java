package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.HaCore;
import io.pgha.ha.PgState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation with {@code failsafe_mode} on: primaries cut from the DCS ask the members of the
 * failsafe key over the simulated network, which remember whom they acknowledged. Besides the usual
 * invariants the checker demands a right for every writer at every instant — the leader key under a
 * live lease, or a live promise from every other member of the failsafe key — so a primary running
 * on failsafe is legitimate, one missing a promise is not, and two writers are still two writers.
 * {@code -Dsim.seed} and {@code -Dsim.schedules} work as in {@link SimulationTest}.
 */
class FailsafeSimulationTest {
    static final SimSettings SETTINGS = SimSettings.norm().withFailsafe();
    private static final HaCore CORE = new HaCore(SETTINGS.rules());
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;
    private static Batch.Outcome outcome;

    @BeforeAll
    static void runBatch() {
        long seed = Long.getLong("sim.seed", System.nanoTime());
        int schedules = Integer.getInteger("sim.schedules", 1000);
        long t0 = System.nanoTime();
        outcome = Batch.run(SETTINGS, Decider.of(CORE), seed, schedules, SimulationTest.FAULTS_PER_SCHEDULE, 3);
        System.out.printf("failsafe simulation: master seed %d (replay with -Dsim.seed=%d), %d schedules × %d faults, %d events, "
                        + "%d promotions, %d safety and %d liveness violation(s), %.1f s%n",
                seed, seed, schedules, SimulationTest.FAULTS_PER_SCHEDULE, outcome.events(), outcome.failovers(), outcome.safety().size(),
                outcome.liveness().size(), (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void noTwoWritersAndEveryWriterHasARight() {
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

    /** The node that bootstraps under this seed: the run is the same as a fault-free one until the first fault. */
    private static int bootstrapped(long seed) {
        RunResult quiet = Simulation.run(SETTINGS, new Schedule(seed, 3, 0, List.of()), Decider.of(CORE), true);
        String line = quiet.trace().stream().filter(l -> l.contains("initialized and took the leader key")).findFirst().orElseThrow();
        return SimNode.index(line.substring(10, line.indexOf(':', 10)).trim());
    }

    private static final long SEED = 5;

    @Test
    void aDcsOutageLongerThanTtlLeavesThePrimaryWritingOnItsMembersAcknowledgements() {
        Schedule outage = new Schedule(SEED, 3, 0, List.of(new ScheduledFault(30 * S, 25 * S, new Fault.DcsOutage())));
        RunResult r = Simulation.run(SETTINGS, outage, Decider.of(CORE), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
        assertThat(r.failovers()).as("the bootstrap only: nobody was promoted, nobody demoted").isEqualTo(1);
        assertThat(r.trace()).anyMatch(l -> l.contains("hold on: DCS unreachable; failsafe mode: all 2 other member(s)"));
        assertThat(r.trace()).noneMatch(l -> l.contains("fenced") || l.contains("demote:"));

        SimSettings without = SimSettings.norm();
        RunResult plain = Simulation.run(without, outage, Decider.of(new HaCore(without.rules())), true);
        assertThat(plain.violation()).isEmpty();
        assertThat(plain.trace()).as("without failsafe the same outage stops the primary")
                .anyMatch(l -> l.contains("fenced") || l.contains("demote:"));
    }

    @Test
    void aFrozenReplicaDuringTheOutageMakesThePrimaryStopWithinTtl() {
        int primary = bootstrapped(SEED);
        int replica = (primary + 1) % 3;
        Schedule s = new Schedule(SEED, 3, 0, List.of(new ScheduledFault(30 * S, 25 * S, new Fault.DcsOutage()),
                new ScheduledFault(36 * S, 30 * S, new Fault.DaemonFreeze(replica))));
        RunResult r = Simulation.run(SETTINGS, s, Decider.of(CORE), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
        String stopped = r.trace().stream().filter(l -> l.contains("n" + primary + ": ") && (l.contains("demote:") || l.contains("fenced")))
                .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", r.trace())));
        double at = Double.parseDouble(stopped.substring(0, 9).trim());
        assertThat(at).as(stopped).isBetween(36.0, 36.0 + SETTINGS.ttl().toSeconds());
        assertThat(r.trace()).anyMatch(l -> l.contains("not acknowledged by n" + replica));
    }

    /**
     * Finding: a leader's failsafe rounds asked the members of the key as it had last read it, but in
     * that same cycle it had written the key with a member more (n1, back from a freeze). Cut from the
     * DCS, it ran on promises that lacked n1, which reads the key and may race. Rounds now ask what was
     * read together with what was written since.
     */
    @Test
    void aRoundAsksTheMembersTheLeaderJustAddedToTheKey() {
        Schedule s = new Schedule(-8796603504740353600L, 3, 767 * MS, List.of(
                new ScheduledFault(46_523 * MS, 16_127 * MS, new Fault.DaemonFreeze(1)),
                new ScheduledFault(64_417 * MS, 5_675 * MS, new Fault.DcsPartition(0))));
        RunResult r = Simulation.run(SETTINGS, s, Decider.of(CORE), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }

    /**
     * Finding: the key had shrunk to the one member whose lease was live (the others' member keys
     * had expired), that member then lost its primary, and it waited forever for a peer further ahead
     * which, not being listed, never raced. A peer the key does not list is no rival now.
     */
    @Test
    void aPeerTheKeyDoesNotListDoesNotKeepTheClusterLeaderless() {
        Schedule s = new Schedule(7564655870752979346L, 3, 0, List.of(
                new ScheduledFault(29_557 * MS, 16_721 * MS, new Fault.DcsPartition(2)),
                new ScheduledFault(38_036 * MS, 0, new Fault.PostgresCrash(1)),
                new ScheduledFault(41_711 * MS, 27_485 * MS, new Fault.DcsPartition(2)),
                new ScheduledFault(51_342 * MS, 9_412 * MS, new Fault.NodeCrash(0)),
                new ScheduledFault(51_995 * MS, 6_541 * MS, new Fault.DaemonFreeze(1)),
                new ScheduledFault(62_381 * MS, 8_780 * MS, new Fault.DaemonFreeze(1))));
        RunResult r = Simulation.run(SETTINGS, s, Decider.of(CORE), true);
        assertThat(r.violation()).as(() -> String.join("\n", r.trace())).isEmpty();
    }

    /** A core that keeps running on failsafe although a member did not acknowledge: the checker must catch it. */
    @Test
    void aPrimaryThatHoldsOnWithoutEveryAcknowledgementIsCaught() {
        Decider trustsTooMuch = o -> {
            Decision d = CORE.decide(o);
            boolean roundFailed = o.failsafe().report().isPresent() && !(d instanceof Decision.HoldOn h && h.grantsFailsafe());
            return roundFailed && o.pg() instanceof PgState.Running run && run.isPrimary()
                    ? new Decision.HoldOn("broken on purpose: running on failsafe without every acknowledgement",
                    o.failsafe().report().get().startedNanos() + SETTINGS.ttl().toNanos()) : d;
        };
        Batch.Outcome out = Batch.run(SETTINGS, trustsTooMuch, 13, 200, SimulationTest.FAULTS_PER_SCHEDULE, 1);
        assertThat(out.safety()).isNotEmpty();
        Batch.Failure f = out.safety().get(0);
        assertThat(f.replay().violation()).get().isInstanceOfAny(Violation.WriterWithoutRight.class, Violation.TwoWriters.class);
        System.out.println("caught, as it must be:\n" + f.describe());
    }
}
