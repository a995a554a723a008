package io.pgha.daemon.scale;

/** What the idle fleet saw over one measuring window. */
record FleetWindow(long cyclesPerSecond, long renewals, long late, long lost, long failedCycles, String lastFailure,
                   long watchInterruptions, int watchEvents, double watchP50Ms, double watchP99Ms, double watchMaxMs,
                   double leaseLeftMinMs, double cycleLagP99Ms) {

    static FleetWindow none() {
        return new FleetWindow(0, 0, 0, 0, 0, "", 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    static FleetWindow of(FleetStats s, double seconds) {
        return new FleetWindow(Math.round(s.cycles.get() / seconds), s.renewals.get(), s.late.get(), s.lost.get(),
                s.failedCycles.get(), s.lastFailure.get(), s.watchInterruptions.get(), s.watchDelay.count(),
                s.watchDelay.percentileMillis(50), s.watchDelay.percentileMillis(99), s.watchDelay.maxMillis(),
                s.leaseLeft.percentileMillis(0.0001), s.cycleLag.percentileMillis(99));
    }
}
