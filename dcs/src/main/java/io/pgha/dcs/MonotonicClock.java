package io.pgha.dcs;

/**
 * Lease deadlines are measured on a monotonic clock so that a wall-clock step (NTP, an operator)
 * can neither extend nor cut short a primary's right to accept writes. Simulations substitute
 * their own clock.
 */
@FunctionalInterface
public interface MonotonicClock {
    MonotonicClock SYSTEM = System::nanoTime;

    long nanos();
}
