package io.pgha.sim;

import io.pgha.config.SynchronousMode;
import io.pgha.ha.HaRules;

import java.time.Duration;

/**
 * The timing of the simulated cluster (the {@code norm} preset: ttl 8 s, loop_wait 2 s,
 * retry_timeout 3 s, safety_margin 2 s, primary_start_timeout 10 s) and what the world does.
 *
 * @param fenceEnabled false only in the test proving the checker catches a missing fence
 * @param fenceKeptWhileDcsUnreachable true models HaLoop as it is: HOLD ON leaves the fence armed on the
 *        last confirmed lease; false models it before the fix of finding 1 (a cycle that could not read
 *        the DCS saw no leader key and disarmed the fence), kept to show the simulation catches that
 * @param livenessBound after the last fault heals, a primary holding the key must exist within this
 * @param sync synchronous_mode, with {@code syncCount} as synchronous_node_count ({@link SimSync})
 * @param failsafeMode {@code failsafe_mode} on: the leader keeps the failsafe key, a primary cut from the DCS
 *        asks the members it lists over the simulated network ({@code POST /failsafe}) and they answer
 */
public record SimSettings(Duration ttl, Duration loopWait, Duration retryTimeout, Duration safetyMargin,
                          Duration primaryStartTimeout, long maximumLagOnFailover, long walBytesPerSecond,
                          long replicationLagBytes, boolean fenceEnabled, boolean fenceKeptWhileDcsUnreachable, Duration livenessBound,
                          SynchronousMode sync, int syncCount, boolean failsafeMode) {

    public static SimSettings norm() {
        return new SimSettings(Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 1_048_576, 100_000, 20_000, true, true, Duration.ofSeconds(45), SynchronousMode.OFF, 1, false);
    }

    public SimSettings withoutFence() {
        return new SimSettings(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, maximumLagOnFailover,
                walBytesPerSecond, replicationLagBytes, false, fenceKeptWhileDcsUnreachable, livenessBound, sync, syncCount, failsafeMode);
    }

    /** HaLoop before the fix of finding 1: HOLD ON disarmed the fence. */
    public SimSettings withFenceDisarmedOnHoldOn() {
        return new SimSettings(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, maximumLagOnFailover,
                walBytesPerSecond, replicationLagBytes, fenceEnabled, false, livenessBound, sync, syncCount, failsafeMode);
    }

    public SimSettings synchronous(SynchronousMode mode, int count) {
        return new SimSettings(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, maximumLagOnFailover,
                walBytesPerSecond, replicationLagBytes, fenceEnabled, fenceKeptWhileDcsUnreachable, livenessBound, mode, count, failsafeMode);
    }

    /** {@code failsafe_mode: true} in the cluster's config. */
    public SimSettings withFailsafe() {
        return new SimSettings(ttl, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, maximumLagOnFailover,
                walBytesPerSecond, replicationLagBytes, fenceEnabled, fenceKeptWhileDcsUnreachable, livenessBound, sync, syncCount, true);
    }

    /** Another ttl (bootstrapped with it); the rest of the timing as it is. */
    public SimSettings withTtl(Duration other) {
        return new SimSettings(other, loopWait, retryTimeout, safetyMargin, primaryStartTimeout, maximumLagOnFailover,
                walBytesPerSecond, replicationLagBytes, fenceEnabled, fenceKeptWhileDcsUnreachable, livenessBound, sync, syncCount, failsafeMode);
    }

    public HaRules rules() {
        return new HaRules(safetyMargin, primaryStartTimeout, maximumLagOnFailover, false, 1, false, loopWait)
                .synchronous(sync != SynchronousMode.OFF).failsafe(failsafeMode, ttl);
    }

    long ttlNanos() {
        return ttl.toNanos();
    }
}
