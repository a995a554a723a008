package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.Observation;

/** What can happen at one simulated instant. Events for a node carry the generation they were meant for. */
sealed interface SimEvent {
    /** The HA loop starts a cycle: its loop_wait tick ({@code tick} ≥ 0, stale once superseded) or a wake-up ({@code tick} −1). */
    record CycleStart(int node, long generation, long tick, String why) implements SimEvent {
    }

    /** A cycle whose DCS requests timed out decides now, without a snapshot. */
    record DcsTimedOut(int node, long generation, long cycleStartedAt) implements SimEvent {
    }

    /** The decision made at the start of the cycle is carried out. */
    record Act(int node, long generation, long cycleStartedAt, Observation observation, Decision decision) implements SimEvent {
    }

    /** The fence timer, independent of the loop. */
    record FenceFires(int node, long armedGeneration) implements SimEvent {
    }

    /** A leader-key watch event reaches a node. */
    record WatchDelivered(int node, long generation) implements SimEvent {
    }

    /** The DCS expires leases whose TTL ran out (so that watchers hear of it at that instant). */
    record LeaseCheck() implements SimEvent {
    }

    /** The config key's ttl changes ({@link TtlChange}); watchers hear of it as of any config change. */
    record ConfigTtlChanged(TtlChange change) implements SimEvent {
    }

    record FaultStarts(ScheduledFault fault) implements SimEvent {
    }

    record FaultHeals(ScheduledFault fault) implements SimEvent {
    }

    /** The end of the run: liveness is judged here. */
    record End() implements SimEvent {
    }
}
