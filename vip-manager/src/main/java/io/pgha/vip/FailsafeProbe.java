package io.pgha.vip;

/**
 * Asks the local HA daemon whether it still runs as primary in failsafe mode. Standalone, that is
 * {@link PatroniFailsafeProbe} over REST; inside the HA daemon, the daemon answers from its own
 * state. Called only while the DCS is unreachable, on the poller thread; must answer within about a
 * second and never throw.
 */
@FunctionalInterface
public interface FailsafeProbe {
    FailsafeProbe NEVER = () -> new FailsafeVerdict(false, "no failsafe probe configured");

    FailsafeVerdict ask();
}
