package io.pgha.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One run's fault schedule together with the run-wide settings drawn for it ({@code nodes},
 * watch delay). {@code seed} drives every other random choice of the run (latencies), so a
 * schedule plus its seed replays exactly.
 */
public record Schedule(long seed, int nodes, long watchDelayNanos, List<ScheduledFault> faults) {
    public Schedule {
        faults = List.copyOf(faults);
    }

    public long lastHealNanos() {
        return faults.stream().mapToLong(ScheduledFault::healsAtNanos).max().orElse(0);
    }

    public Schedule without(int index) {
        List<ScheduledFault> fewer = new ArrayList<>(faults);
        fewer.remove(index);
        return new Schedule(seed, nodes, watchDelayNanos, fewer);
    }

    public Schedule with(int index, ScheduledFault replacement) {
        List<ScheduledFault> changed = new ArrayList<>(faults);
        changed.set(index, replacement);
        return new Schedule(seed, nodes, watchDelayNanos, changed);
    }

    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "seed %d, %d nodes, watch delay %.3f s, %d fault(s)%n",
                seed, nodes, watchDelayNanos / 1e9, faults.size()));
        faults.forEach(f -> b.append("  ").append(f).append('\n'));
        return b.toString();
    }
}
