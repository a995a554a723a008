package io.pgha.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Draws a random fault schedule from a seed: 3–5 nodes, a watch delay, and a few dozen overlapping faults after bootstrap. */
public final class ScheduleGenerator {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private ScheduleGenerator() {
    }

    public static Schedule draw(long seed, int faults) {
        Random r = new Random(seed);
        int nodes = 3 + r.nextInt(3);
        long watchDelay = r.nextInt(4) == 0 ? 0 : r.nextInt(1_000) * MS;
        List<ScheduledFault> out = new ArrayList<>();
        long at = Simulation.BOOT_NANOS;
        for (int i = 0; i < faults; i++) {
            at += r.nextInt(6_000) * MS;
            out.add(fault(r, nodes, at));
        }
        return new Schedule(seed, nodes, watchDelay, out);
    }

    private static ScheduledFault fault(Random r, int nodes, long at) {
        int node = r.nextInt(nodes);
        return switch (r.nextInt(9)) {
            case 0 -> new ScheduledFault(at, between(r, 1 * S, 40 * S), new Fault.NodeCrash(node));
            case 1 -> new ScheduledFault(at, 0, new Fault.PostgresCrash(node));
            case 2, 3 -> new ScheduledFault(at, between(r, 1 * S, 30 * S), new Fault.DcsPartition(node));
            case 4 -> {
                int other = (node + 1 + r.nextInt(nodes - 1)) % nodes;
                yield new ScheduledFault(at, between(r, 1 * S, 30 * S), new Fault.PeerPartition(node, other));
            }
            case 5 -> new ScheduledFault(at, between(r, 100 * MS, 20 * S), new Fault.DaemonFreeze(node));
            case 6 -> new ScheduledFault(at, between(r, 1 * S, 60 * S), new Fault.WatchLoss(node));
            // systemd restarts a killed daemon after RestartSec (plus the JVM's start): mostly within the ttl
            case 7 -> new ScheduledFault(at, between(r, 500 * MS, 12 * S), new Fault.DaemonCrash(node));
            default -> new ScheduledFault(at, between(r, 1 * S, 20 * S), new Fault.DcsOutage());
        };
    }

    private static long between(Random r, long lo, long hi) {
        return lo + (long) (r.nextDouble() * (hi - lo)) / MS * MS;
    }
}
