package io.pgha.haproxy;

import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * HAProxy bridge benchmark, not a test: node crash → first successful write through the primary
 * port, for an HAProxy steered by the bridge and, at the same time on the same cluster, an HAProxy
 * with health checks only (the same rendered config, no bridge). Both use Pigsty v1.5's check timing
 * ({@code inter 3s fastinter 1s downinter 5s rise 3 fall 3}). Writers open a new connection through
 * each port every 20 ms (each attempt on its own thread, so a stuck attempt delays no other).
 * Promotion is the first 200 on another node's {@code OPTIONS /primary}, polled every 10 ms; the
 * moment the new primary is writable is the first write straight to a surviving node's PostgreSQL,
 * probed the same way. What the bridge adds is its first write minus that one.
 * Prints a table and writes {@code target/benchmark/haproxy-bridge.md}. Run with
 * {@code ./run bench -Dit.test=HaproxyBridgeBenchmark}.
 */
class HaproxyBridgeBenchmark {
    static final int RUNS = Integer.getInteger("pgha.bench.runs", 5);
    static final String PIGSTY_V15 = "{inter: 3, fastinter: 1, downinter: 5, rise: 3, fall: 3}";

    /** Seconds after the crash: promotion seen on REST, first write straight to PostgreSQL, through each HAProxy. */
    record Sample(double promoted, double directWrite, double bridgeWrite, double checksWrite) {
        double bridgeOverDirectMs() {
            return (bridgeWrite - directWrite) * 1000;
        }
    }

    @Test
    void nodeCrashToFirstWriteThroughThePrimaryPort() throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(3, "fast", "")) {
            cluster.startAll();
            LocalNode first = cluster.awaitPrimary(Duration.ofSeconds(120));
            cluster.nodes.stream().filter(n -> n != first).forEach(n -> cluster.awaitReplica(n, Duration.ofSeconds(120)));
            try (Connection c = cluster.connect(first); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
            }
            try (HaproxyFront bridged = HaproxyFront.bridged(cluster, cluster.nodes.get(0), PIGSTY_V15, true);
                 HaproxyFront checksOnly = HaproxyFront.bridged(cluster, cluster.nodes.get(1), PIGSTY_V15, false)) {
                for (int i = 0; i < RUNS; i++) {
                    Sample s = once(cluster, bridged, checksOnly);
                    samples.add(s);
                    System.out.printf(Locale.ROOT, "run %d: promoted %.3f s, first write direct %.3f s, with bridge %.3f s, checks only %.3f s%n",
                            i + 1, s.promoted(), s.directWrite(), s.bridgeWrite(), s.checksWrite());
                }
            }
        }
        String table = table(samples);
        System.out.println(table);
        Path out = Path.of("target", "benchmark", "haproxy-bridge.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    private Sample once(LocalCluster cluster, HaproxyFront bridged, HaproxyFront checksOnly) throws Exception {
        LocalNode victim = cluster.awaitPrimary(Duration.ofSeconds(60));
        for (HaproxyFront f : List.of(bridged, checksOnly)) {
            Await.until("writes through port " + f.primaryPort() + " land on " + victim.name(), Duration.ofSeconds(60),
                    () -> Through.write(f.primaryPort(), cluster.nodes).filter(victim::equals).isPresent());
        }
        AtomicLong crashedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong promotedAt = new AtomicLong();
        AtomicLong bridgeWrite = new AtomicLong();
        AtomicLong checksWrite = new AtomicLong();
        AtomicLong directWrite = new AtomicLong();
        ExecutorService attempts = Executors.newCachedThreadPool();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(4);
        try {
            ticks.scheduleAtFixedRate(() -> attempts.submit(() -> attempt(bridged.primaryPort(), crashedAt, bridgeWrite)), 0, 20, TimeUnit.MILLISECONDS);
            ticks.scheduleAtFixedRate(() -> attempts.submit(() -> attempt(checksOnly.primaryPort(), crashedAt, checksWrite)), 10, 20, TimeUnit.MILLISECONDS);
            for (LocalNode n : cluster.nodes) {
                if (n != victim) {
                    ticks.scheduleAtFixedRate(() -> attempts.submit(() -> attempt(n.pgPort(), crashedAt, directWrite)), 5, 20, TimeUnit.MILLISECONDS);
                }
            }
            ticks.scheduleAtFixedRate(() -> {
                if (promotedAt.get() == 0 && System.nanoTime() > crashedAt.get() && cluster.nodes.stream()
                        .anyMatch(n -> n != victim && n.restStatus(cluster.http, "OPTIONS", "/primary") == 200)) {
                    promotedAt.compareAndSet(0, System.nanoTime());
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            cluster.crash(victim);
            crashedAt.set(System.nanoTime()); // once the old primary is dead: nothing it accepted counts as after
            Await.until("promotion and first writes through both ports", Duration.ofSeconds(90),
                    () -> promotedAt.get() != 0 && bridgeWrite.get() != 0 && checksWrite.get() != 0 && directWrite.get() != 0);
        } finally {
            ticks.shutdownNow();
            attempts.shutdownNow();
            attempts.awaitTermination(10, TimeUnit.SECONDS);
        }
        long t0 = crashedAt.get();
        Sample s = new Sample((promotedAt.get() - t0) / 1e9, (directWrite.get() - t0) / 1e9, (bridgeWrite.get() - t0) / 1e9,
                (checksWrite.get() - t0) / 1e9);
        cluster.start(victim);
        LocalNode p = cluster.awaitPrimary(Duration.ofSeconds(120));
        cluster.nodes.stream().filter(n -> n != p).forEach(n -> cluster.awaitReplica(n, Duration.ofSeconds(120)));
        return s;
    }

    /** One new connection and one INSERT; its completion counts if it started after the crash. */
    private static void attempt(int port, AtomicLong crashedAt, AtomicLong firstWrite) {
        long started = System.nanoTime();
        try (Connection c = Through.connect(port, 2); Statement st = c.createStatement()) {
            st.execute("INSERT INTO probe DEFAULT VALUES");
            long done = System.nanoTime();
            if (started > crashedAt.get()) {
                firstWrite.accumulateAndGet(done, (a, b) -> a == 0 ? b : Math.min(a, b));
            }
        } catch (Exception e) {
            // unavailable: that is what is being measured
        }
    }

    static String table(List<Sample> samples) {
        StringBuilder t = new StringBuilder();
        t.append("HAProxy bridge benchmark — ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, 3 nodes on loopback (rto fast), node crash (daemon + PostgreSQL kill -9), ").append(samples.size())
                .append(" runs; HAProxy checks: Pigsty v1.5 (inter 3s fastinter 1s downinter 5s rise 3 fall 3)\n\n");
        t.append("| seconds after the crash | min | median | max |\n|---|---|---|---|\n");
        row(t, "promotion (new primary answers /primary)", samples, Sample::promoted, 3);
        row(t, "first write straight to the new primary's PostgreSQL", samples, Sample::directWrite, 3);
        row(t, "first write through 5433, with the bridge", samples, Sample::bridgeWrite, 3);
        row(t, "first write through 5433, health checks only", samples, Sample::checksWrite, 3);
        t.append("\n| milliseconds | min | median | max |\n|---|---|---|---|\n");
        row(t, "with the bridge: first write through 5433 − first direct write", samples, Sample::bridgeOverDirectMs, 0);
        row(t, "checks only: first write through 5433 − first direct write", samples, s -> (s.checksWrite() - s.directWrite()) * 1000, 0);
        return t.toString();
    }

    private static void row(StringBuilder t, String name, List<Sample> samples, ToDoubleFunction<Sample> f, int decimals) {
        List<Double> v = samples.stream().map(f::applyAsDouble).sorted().toList();
        double median = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
        String fmt = "%." + decimals + "f";
        t.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, fmt, v.get(0))).append(" | ")
                .append(String.format(Locale.ROOT, fmt, median)).append(" | ").append(String.format(Locale.ROOT, fmt, v.get(v.size() - 1)))
                .append(" |\n");
    }
}
