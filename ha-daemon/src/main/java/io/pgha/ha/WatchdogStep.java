package io.pgha.ha;

/** What the watchdog should hear at the end of a cycle; {@link FencePlan} says which. */
public sealed interface WatchdogStep {
    /** Nothing new: it counts from the last renewal. */
    record Unchanged() implements WatchdogStep {
    }

    /** As good as a lease renewal: the members' failsafe promise lets nobody take over before the new deadline. */
    record Ping() implements WatchdogStep {
    }

    /** This member leads as primary: the watchdog must be active, and is pinged on every lease renewal. */
    record Activate() implements WatchdogStep {
    }

    /** Not leading: the watchdog may stand down, unless PostgreSQL still runs as primary. */
    record StandDown(boolean stillPrimary) implements WatchdogStep {
    }
}
