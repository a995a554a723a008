package io.pgha.watchdog;

import io.pgha.ha.Decision;
import io.pgha.ha.HaCore;
import io.pgha.ha.Observation;

import java.time.Duration;

/**
 * Where the watchdog meets the decision core, kept out of the core so that it stays pure: the core
 * is told whether a required watchdog stands in the way of leading, and the watchdog is started
 * before the key is taken or PostgreSQL promoted, never after, so a node does not lead unguarded.
 */
public final class WatchdogGate {
    private final Watchdog watchdog;

    public WatchdogGate(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** The core, told whether the watchdog lets this node lead. */
    public HaCore core(HaCore base) {
        return new HaCore(base.rules().cannotLead(watchdog.whyNotLeader()));
    }

    /**
     * {@code d} itself, unless it would make this node lead (acquire, take over, promote, bootstrap) and a
     * required watchdog cannot be started with {@code timeout}: then what the core decides knowing that.
     */
    public Decision beforeActing(Decision d, Observation o, HaCore base, Duration timeout, Duration loopWait) {
        if (base.rules().paused()) {
            return d;
        }
        boolean aboutToLead = d instanceof Decision.AcquireLeader || d instanceof Decision.TakeOverLeader
                || d instanceof Decision.Promote;
        boolean mayGoAhead = aboutToLead ? watchdog.activate(timeout, loopWait)
                : !(d instanceof Decision.RaceInitialize) || watchdog.preflight(timeout, loopWait);
        return mayGoAhead ? d : core(base).decide(o);
    }
}
