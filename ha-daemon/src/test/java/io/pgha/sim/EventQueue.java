package io.pgha.sim;

import java.util.PriorityQueue;

/** Events in simulated-time order; events at the same instant run in the order they were scheduled. */
final class EventQueue {
    record Timed(long at, long seq, SimEvent event) {
    }

    private final PriorityQueue<Timed> queue = new PriorityQueue<>((x, y) -> x.at() != y.at()
            ? Long.compare(x.at(), y.at()) : Long.compare(x.seq(), y.seq()));
    private long seq;

    void at(long nanos, SimEvent e) {
        queue.add(new Timed(nanos, seq++, e));
    }

    Timed next() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
