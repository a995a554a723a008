package io.pgha.sim;

import java.util.List;
import java.util.Optional;

/** What one run of a schedule found: the first violation, if any, and how much happened. */
public record RunResult(Schedule schedule, Optional<Violation> violation, int events, int failovers, List<String> trace) {
    public boolean safe() {
        return violation.filter(Violation::isSafety).isEmpty();
    }

    public boolean live() {
        return violation.filter(v -> v instanceof Violation.NoProgress).isEmpty();
    }
}
