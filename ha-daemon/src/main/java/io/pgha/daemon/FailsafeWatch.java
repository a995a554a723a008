package io.pgha.daemon;

import io.pgha.ha.Decision;
import io.pgha.ha.FailsafeReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether this primary runs on the members' failsafe acknowledgements while the DCS is unreachable:
 * one log line when that starts and one when it ends, so an operator sees how long it lasted.
 */
final class FailsafeWatch {
    private static final Logger LOG = LoggerFactory.getLogger(HaLoop.class); // the loop's log, where the cycle lines are

    private boolean active;
    private long activeSince;

    boolean active() {
        return active;
    }

    /**
     * @param promiseRunning the members' promise, less the safety margin, still runs
     * @param round          this cycle's round of acknowledgements, if one was asked for
     */
    void after(boolean dcsReached, Decision d, boolean primaryAfter, boolean paused, boolean promiseRunning,
               Optional<FailsafeReport> round, long now) {
        boolean nowActive = !dcsReached && primaryAfter && !paused && promiseRunning;
        if (nowActive && !active) {
            activeSince = now;
            boolean granted = d instanceof Decision.HoldOn h && h.grantsFailsafe();
            LOG.warn("failsafe active: {}; DCS unreachable", !granted ? "running on the members' earlier acknowledgements"
                    : round.isEmpty() ? "I am the only member in the failsafe key"
                    : "all " + round.get().answers().size() + " members acknowledged me as leader");
        } else if (!nowActive && active) {
            String after = String.format(Locale.ROOT, "%.1f s", (now - activeSince) / 1e9);
            LOG.warn("failsafe ended after {}: {}", after, !primaryAfter ? "no longer primary (" + d.logLine() + ")"
                    : dcsReached ? "DCS reachable again" : d.logLine());
        }
        active = nowActive;
    }
}
