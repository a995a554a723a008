package io.pgha.rest;

import io.pgha.dcs.Dcs;
import io.pgha.dcs.MonotonicClock;
import io.pgha.node.FailsafeAcknowledgements;
import io.pgha.node.NodeStatus;
import io.pgha.node.OperationLog;
import io.pgha.node.OperatorRequests;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the REST API needs from the rest of the daemon.
 *
 * @param status the HA loop's last published {@link NodeStatus}; called on the event loop for every
 *               health check, so it must be a plain (volatile) read that never blocks
 * @param dcs    used only from worker threads, for the endpoints that read or change the DCS
 * @param clock  the clock lease deadlines are measured on; health answers are decided at the moment of asking
 * @param wakeUp asks the HA loop to run a cycle now, after a change it should react to (config);
 *               must return quickly
 * @param requests operator requests (restart, reinitialize, reload) for the HA loop to carry out
 * @param operations the switchover or other operation this node runs, for {@code GET /operation}
 * @param failsafeAcks where {@code POST /failsafe} records the primary it acknowledged, for the HA loop
 */
public record RestContext(Supplier<NodeStatus> status, Dcs dcs, MonotonicClock clock, Runnable wakeUp,
                          OperatorRequests requests, OperationLog operations, FailsafeAcknowledgements failsafeAcks) {
    /** Without a loop behind it: command endpoints queue requests nobody carries out. */
    public RestContext(Supplier<NodeStatus> status, Dcs dcs, MonotonicClock clock, Runnable wakeUp) {
        this(status, dcs, clock, wakeUp, new OperatorRequests(), new OperationLog(Clock.systemUTC()),
                new FailsafeAcknowledgements());
    }

    public RestContext {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dcs, "dcs");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(wakeUp, "wakeUp");
        Objects.requireNonNull(failsafeAcks, "failsafeAcks");
    }
}
