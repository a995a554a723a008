package io.pgha.daemon.scale;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One cluster count of the scale run: etcd's load, the fleet's health and the real cluster's failovers. */
record ScaleRow(int clusters, Map<String, Double> etcdRates, List<Double> etcdCpuPercent, List<Double> etcdRssMb,
                double generatorCpuPercent, double generatorRssMb, FleetWindow fleet, FleetWindow settling,
                List<Double> failoverSeconds) {

    double requestsPerSecond() {
        return etcdRates.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double medianFailover() {
        List<Double> sorted = failoverSeconds.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    String line() {
        return String.format(Locale.ROOT, "| %d | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |", clusters, requestsPerSecond(),
                etcdRates.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")),
                each(etcdCpuPercent), each(etcdRssMb),
                fleet.renewals() == 0 ? "–" : fleet.late() + " / " + fleet.lost() + " of " + fleet.renewals(),
                fleet.watchEvents() == 0 ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", fleet.watchP50Ms(), fleet.watchP99Ms()),
                fleet.renewals() == 0 ? "–" : String.format(Locale.ROOT, "%.0f", fleet.cycleLagP99Ms()),
                failoverSeconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).collect(Collectors.joining(", ")),
                String.format(Locale.ROOT, "%.2f", medianFailover()));
    }

    private static String each(List<Double> perMember) {
        return perMember.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining(" / "));
    }

    static String table(List<ScaleRow> rows, Instant at, int warmup, int window, int failovers) {
        StringBuilder b = new StringBuilder();
        b.append("Scale benchmark — ").append(at).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, one 3-member etcd (Debian's, default settings) on loopback; one real 3-node cluster at rto norm ")
                .append("(ttl 8, loop_wait 2, retry 3) and beside it idle clusters of 3 members on pgha's DCS layer in the benchmark's JVM; ")
                .append("warm-up ").append(warmup).append(" s, window ").append(window).append(" s, ").append(failovers)
                .append(" node crashes of the real cluster per size. The first row is the real cluster alone (idle etcd). ")
                .append("The fleet's probe writer adds ").append(IdleFleet.PROBES_PER_SECOND).append(" Puts/s to measure watch delivery.\n\n");
        b.append("| clusters | etcd req/s | by method | etcd CPU (% of a core, each member) | etcd RSS (MB, each member) ")
                .append("| renewals late / lost | watch delay p50 / p99 (ms) | fleet cycle lag p99 (ms) | failover (s) | median (s) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> b.append(r.line()).append('\n'));
        ScaleRow idle = rows.get(0);
        b.append("\n| clusters | failover median vs idle etcd | load generator CPU (% of a core) | load generator RSS (MB) | fleet cycles/s | failed cycles | watch interruptions | while growing and warming up: renewals late / lost, failed cycles |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (ScaleRow r : rows.subList(1, rows.size())) {
            b.append(String.format(Locale.ROOT, "| %d | %+.0f %% | %.0f | %.0f | %d | %d%s | %d | %d / %d, %d |%n", r.clusters,
                    100 * (r.medianFailover() / idle.medianFailover() - 1), r.generatorCpuPercent, r.generatorRssMb,
                    r.fleet.cyclesPerSecond(), r.fleet.failedCycles(),
                    r.fleet.failedCycles() == 0 ? "" : " (last: " + r.fleet.lastFailure() + ")", r.fleet.watchInterruptions(),
                    r.settling.late(), r.settling.lost(), r.settling.failedCycles()));
        }
        return b.toString();
    }
}
