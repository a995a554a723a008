package io.pgha.daemon.scale;

import io.pgha.daemon.EtcdRequests;
import io.pgha.daemon.LocalCluster;
import io.pgha.daemon.ProcStat;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scale benchmark, not a test: one real 3-node cluster (daemons, PostgreSQL) and, beside it on the
 * same 3-member etcd, idle clusters driven by pgha's own DCS layer ({@code IdleFleet}), grown to
 * 100, 300 and 1,000 clusters in all. At each size, after a warm-up: etcd requests/s by method
 * (etcd's own counters), CPU and RSS of the etcd members, renewals late or lost, watch delivery delay,
 * and the real cluster's node-crash failover time, compared with the same measured on the idle
 * etcd at the start of the run. Prints a table and writes {@code target/benchmark/scale.md} and a
 * plot, {@code scale.svg}. Run with {@code ./run bench -Dit.test=ScaleBenchmark};
 * {@code -Dpgha.bench.clusters=100,300,1000}, {@code -Dpgha.bench.failovers=2},
 * {@code -Dpgha.bench.warmup=20}, {@code -Dpgha.bench.window=60}.
 */
class ScaleBenchmark {
    static final List<Integer> SIZES = Arrays.stream(System.getProperty("pgha.bench.clusters", "100,300,1000").split(","))
            .map(String::trim).map(Integer::parseInt).toList();
    static final int FAILOVERS = Integer.getInteger("pgha.bench.failovers", 2);
    static final int WARMUP_SECONDS = Integer.getInteger("pgha.bench.warmup", 20);
    static final int WINDOW_SECONDS = Integer.getInteger("pgha.bench.window", 60);
    /** rto: norm, as the real cluster runs. */
    static final Duration LOOP_WAIT = Duration.ofSeconds(2);
    static final Duration RETRY_TIMEOUT = Duration.ofSeconds(3);
    static final long TTL = 8;
    /** Cycles block on etcd as the daemon's do; enough threads that a slow etcd shows as latency, not as a queue. */
    static final int CYCLE_THREADS = Integer.getInteger("pgha.bench.threads", 64);

    @Test
    void thousandClustersOnOneEtcd() throws Exception {
        List<ScaleRow> rows = new ArrayList<>();
        try (LocalCluster real = new LocalCluster(3, "norm", "")) {
            real.startAll();
            real.dumpOnFailure(() -> real.awaitHealthy(Duration.ofSeconds(60)));
            rows.add(measure(real, null, 1));
            List<URI> endpoints = real.etcd.clientUrls().stream().map(URI::create).toList();
            try (IdleFleet fleet = new IdleFleet(endpoints, TTL, LOOP_WAIT, RETRY_TIMEOUT, CYCLE_THREADS)) {
                for (int size : SIZES) {
                    long t0 = System.nanoTime();
                    fleet.growTo(size - 1);
                    System.out.printf(Locale.ROOT, "fleet at %d idle clusters (opened in %.1f s, %d member starts waited for etcd so far)%n",
                            size - 1, (System.nanoTime() - t0) / 1e9, fleet.openRetries());
                    rows.add(measure(real, fleet, size));
                }
            }
        }
        String report = ScaleRow.table(rows, Instant.now(), WARMUP_SECONDS, WINDOW_SECONDS, FAILOVERS);
        System.out.println(report);
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scale.md"), report);
        Files.writeString(dir.resolve("scale.svg"), ScalePlot.svg(rows));
    }

    /** One size: idle warm-up, the measuring window, then node crashes of the real cluster under that load. */
    private ScaleRow measure(LocalCluster real, IdleFleet fleet, int clusters) throws Exception {
        Thread.sleep(WARMUP_SECONDS * 1000L); // a steady state is what is measured, not a condition to await
        // Growth and warm-up count too: a lease lost while the fleet grows is a lease lost.
        FleetWindow settling = fleet == null ? FleetWindow.none() : fleet.nextWindow().window(1);
        List<ProcStat> etcdBefore = etcdUsage(real);
        ProcStat selfBefore = ProcStat.of(ProcessHandle.current().pid());
        Map<String, Double> before = EtcdRequests.byMethod(real.etcd, real.http);
        long t0 = System.nanoTime();
        Thread.sleep(WINDOW_SECONDS * 1000L);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> rates = EtcdRequests.rates(before, EtcdRequests.byMethod(real.etcd, real.http), seconds);
        List<ProcStat> etcdAfter = etcdUsage(real);
        ProcStat selfAfter = ProcStat.of(ProcessHandle.current().pid());
        FleetWindow window = fleet == null ? FleetWindow.none() : fleet.nextWindow().window(seconds);
        List<Double> etcdCpu = new ArrayList<>();
        List<Double> etcdRss = new ArrayList<>();
        for (int i = 0; i < etcdAfter.size(); i++) {
            etcdCpu.add(etcdAfter.get(i).cpuPercentSince(etcdBefore.get(i), seconds));
            etcdRss.add(etcdAfter.get(i).rssMb());
        }
        List<Double> failovers = new ArrayList<>();
        for (int i = 0; i < FAILOVERS; i++) {
            failovers.add(nodeCrash(real));
            System.out.printf(Locale.ROOT, "%d clusters: node crash %d promoted in %.2f s%n", clusters, i + 1, failovers.get(i));
        }
        ScaleRow row = new ScaleRow(clusters, rates, etcdCpu, etcdRss,
                selfAfter.cpuPercentSince(selfBefore, seconds), selfAfter.rssMb(), window, settling, failovers);
        System.out.println(row.line());
        return row;
    }

    private static List<ProcStat> etcdUsage(LocalCluster real) throws Exception {
        List<ProcStat> usage = new ArrayList<>();
        for (int i = 0; i < real.etcd.size(); i++) {
            usage.add(ProcStat.of(real.etcd.pid(i)));
        }
        return usage;
    }

    /** Seconds from SIGKILL of the primary's daemon and PostgreSQL to another node answering 200 on /primary. */
    private static double nodeCrash(LocalCluster real) {
        LocalNode victim = real.dumpOnFailure(() -> real.awaitPrimary(Duration.ofSeconds(60)));
        real.crash(victim);
        long crashed = System.nanoTime();
        real.dumpOnFailure(() -> Await.value("a new primary after " + victim.name() + " crashed", Duration.ofSeconds(90),
                () -> real.nodes.stream().filter(n -> n != victim && n.restStatus(real.http, "GET", "/primary") == 200).findFirst()));
        double seconds = (System.nanoTime() - crashed) / 1e9;
        real.start(victim);
        real.dumpOnFailure(() -> real.awaitHealthy(Duration.ofSeconds(120)));
        return seconds;
    }
}
