package io.pgha.node;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last operator operation this node took part in (switchover, failover, restart,
 * reinitialize) with the phases it went through and when: what {@code GET /operation} shows, so an
 * operator follows a switchover as it happens instead of reading "status unknown after N seconds".
 * Written by the HA loop and the REST workers, read by the event loop; every method is synchronized
 * and hands out immutable copies.
 */
public final class OperationLog {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    public record Phase(String phase, Instant at, String detail) {
    }

    public record Operation(String id, String kind, String from, String to, State state, Instant started, List<Phase> phases,
                            String result) {
        public Operation {
            phases = List.copyOf(phases);
        }
    }

    private final Clock clock;
    private Operation current;
    private long counter;

    public OperationLog(Clock clock) {
        this.clock = clock;
    }

    /** Starts a new operation, replacing the finished one before it; the id says which one a client follows. */
    public synchronized Operation begin(String kind, String from, String to) {
        Instant now = clock.instant();
        counter++;
        current = new Operation(kind + "-" + now.toEpochMilli() + "-" + counter, kind, from, to, State.RUNNING, now,
                List.of(new Phase("requested", now, "")), "");
        return current;
    }

    /**
     * Records a phase of the current operation of {@code kind}; ignored when there is none or it
     * failed. A succeeded one still takes phases: a switchover succeeds when the candidate leads,
     * and the old leader's return as a replica comes a moment later.
     */
    public synchronized void phase(String kind, String phase, String detail) {
        if (current == null || current.state() == State.FAILED || !current.kind().equals(kind)) {
            return;
        }
        List<Phase> phases = new ArrayList<>(current.phases());
        if (phases.stream().anyMatch(p -> p.phase().equals(phase))) {
            return; // a phase seen twice (loop and REST waiter both noticing) is recorded once
        }
        phases.add(new Phase(phase, clock.instant(), detail));
        current = new Operation(current.id(), current.kind(), current.from(), current.to(), current.state(), current.started(),
                phases, current.result());
    }

    public synchronized void finish(String kind, boolean succeeded, String result) {
        if (current == null || current.state() != State.RUNNING || !current.kind().equals(kind)) {
            return;
        }
        current = new Operation(current.id(), current.kind(), current.from(), current.to(),
                succeeded ? State.SUCCEEDED : State.FAILED, current.started(), current.phases(), result);
    }

    public synchronized Optional<Operation> current() {
        return Optional.ofNullable(current);
    }
}
