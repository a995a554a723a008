package io.pgha.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Runs many seeded schedules and keeps the failures, shrunk, for the report. */
public final class Batch {
    public record Failure(RunResult original, Schedule shrunk, RunResult replay) {
        public String describe() {
            return replay.violation().orElseThrow().describe() + "\n  original: " + original.schedule().faults().size()
                    + " fault(s), shrunk to:\n" + shrunk.describe() + "  trace of the shrunk schedule (last 40 lines):\n    "
                    + String.join("\n    ", replay.trace().subList(Math.max(0, replay.trace().size() - 40), replay.trace().size()));
        }
    }

    public record Outcome(long masterSeed, int schedules, long events, long failovers, List<Failure> safety, List<Failure> liveness) {
    }

    private Batch() {
    }

    public static Outcome run(SimSettings settings, Decider decider, long masterSeed, int schedules, int faultsPerSchedule, int shrinkAtMost) {
        Random seeds = new Random(masterSeed);
        List<Failure> safety = new ArrayList<>();
        List<Failure> liveness = new ArrayList<>();
        long events = 0;
        long failovers = 0;
        for (int i = 0; i < schedules; i++) {
            Schedule s = ScheduleGenerator.draw(seeds.nextLong(), faultsPerSchedule);
            RunResult r = Simulation.run(settings, s, decider, false);
            events += r.events();
            failovers += r.failovers();
            if (r.violation().isPresent()) {
                List<Failure> into = r.safe() ? liveness : safety;
                if (into.size() < shrinkAtMost) {
                    into.add(shrink(settings, decider, r));
                } else {
                    into.add(new Failure(r, s, Simulation.run(settings, s, decider, true)));
                }
            }
        }
        return new Outcome(masterSeed, schedules, events, failovers, safety, liveness);
    }

    public static Failure shrink(SimSettings settings, Decider decider, RunResult failing) {
        Schedule shrunk = Shrinker.shrink(failing.schedule(), Shrinker.sameViolation(settings, decider, failing.violation().orElseThrow()));
        return new Failure(failing, shrunk, Simulation.run(settings, shrunk, decider, true));
    }
}
