package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Failover benchmark, not a test: a writer probes the cluster every 100 ms through a multi-host
 * JDBC URL (targetServerType=primary, as an application would) while the primary node crashes.
 * Reports time to promotion (first 200 on another node's /primary) and time to the first
 * successful write after the crash, min/median/max over RUNS runs, per scenario; prints a table
 * and writes {@code target/benchmark/failover.md}. Run with {@code ./run bench}.
 */
class FailoverBenchmark {
    static final int RUNS = Integer.getInteger("pgha.bench.runs", 5);

    record Sample(double promotedSeconds, double firstWriteSeconds) {
    }

    record Result(String scenario, List<Sample> samples) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %s | %s |", scenario, samples.size(),
                    stats(samples.stream().map(Sample::promotedSeconds).toList()),
                    stats(samples.stream().map(Sample::firstWriteSeconds).toList()));
        }
    }

    @Test
    void nodeCrashAndPostgresCrash() throws Exception {
        List<Result> results = new ArrayList<>();
        List<String> rss = new ArrayList<>();
        results.add(run("node crash, rto fast (ttl 3)", "fast", "", false, rss));
        results.add(run("node crash, rto norm (ttl 8, default)", "norm", "", false, rss));
        results.add(run("PostgreSQL-only crash, rto fast, restart in place", "fast", "", true, rss));
        results.add(run("PostgreSQL-only crash, primary_start_timeout 0 (fail over)", "fast", "primary_start_timeout: 0", true, rss));
        StringBuilder table = new StringBuilder();
        table.append("Failover benchmark — ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, 3 nodes on loopback, 3-member etcd, writer probing every 100 ms\n\n");
        table.append("| scenario | runs | to promotion min / median / max (s) | to first write min / median / max (s) |\n");
        table.append("|---|---|---|---|\n");
        results.forEach(r -> table.append(r.row()).append('\n'));
        table.append("\nDaemon RSS at idle (VmRSS, MB): ").append(String.join(", ", rss)).append('\n');
        System.out.println(table);
        Path out = Path.of("target", "benchmark", "failover.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    private Result run(String scenario, String rto, String extraDcs, boolean postgresOnly, List<String> rss) throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(3, rto, extraDcs)) {
            cluster.startAll();
            LocalNode primary = cluster.awaitPrimary(Duration.ofSeconds(120));
            cluster.nodes.stream().filter(n -> n != primary).forEach(n -> cluster.awaitReplica(n, Duration.ofSeconds(120)));
            try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
            }
            if (rss.isEmpty()) {
                Thread.sleep(10_000); // idle means idle: let start-up garbage be collected before reading RSS
                cluster.daemons.values().forEach(d -> rss.add(String.format(Locale.ROOT, "%.0f", vmRssMb(d.pid()))));
            }
            for (int i = 0; i < RUNS; i++) {
                samples.add(once(cluster, postgresOnly));
                System.out.printf(Locale.ROOT, "%s run %d: promoted %.2f s, first write %.2f s%n", scenario, i + 1,
                        samples.get(i).promotedSeconds(), samples.get(i).firstWriteSeconds());
            }
        }
        return new Result(scenario, samples);
    }

    private Sample once(LocalCluster cluster, boolean postgresOnly) throws Exception {
        LocalNode victim = cluster.awaitPrimary(Duration.ofSeconds(60));
        AtomicLong crashedAt = new AtomicLong();
        AtomicLong firstWrite = new AtomicLong();
        String url = "jdbc:postgresql://" + cluster.nodes.stream().map(n -> "127.0.0.1:" + n.pgPort()).collect(Collectors.joining(","))
                + "/postgres?targetServerType=primary&connectTimeout=1&socketTimeout=2&loginTimeout=2";
        Thread writer = new Thread(() -> {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("password", LocalNode.SUPERUSER_PASSWORD);
            while (firstWrite.get() == 0) {
                long t = System.nanoTime();
                try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO probe DEFAULT VALUES");
                    long crashed = crashedAt.get();
                    if (crashed != 0 && t > crashed) {
                        firstWrite.compareAndSet(0, System.nanoTime());
                    }
                } catch (Exception e) {
                    // unavailable: that is what is being measured
                }
                long next = t + 100_000_000L - System.nanoTime();
                if (next > 0) {
                    try {
                        Thread.sleep(next / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "probe-writer");
        writer.start();
        Thread.sleep(500); // the writer is writing before the crash
        if (postgresOnly) {
            victim.killPostgres();
        } else {
            cluster.crash(victim);
        }
        // Taken once the old primary is dead, so no write it still accepted can count as "after".
        crashedAt.set(System.nanoTime());
        long start = crashedAt.get();
        LocalNode promoted = Await.value("a writable primary", Duration.ofSeconds(90), () -> cluster.nodes.stream()
                .filter(n -> (postgresOnly || n != victim) && n.restStatus(cluster.http, "GET", "/primary") == 200).findFirst());
        long promotedAt = System.nanoTime();
        Await.until("first write after the crash", Duration.ofSeconds(90), () -> firstWrite.get() != 0);
        writer.join();
        Sample s = new Sample((promotedAt - start) / 1e9, (firstWrite.get() - start) / 1e9);
        if (!postgresOnly) {
            cluster.start(victim);
        }
        // Back to a healthy 3-node cluster before the next run; if it does not get there, the logs say why.
        cluster.awaitHealthy(Duration.ofSeconds(120));
        return s;
    }

    private static double vmRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    static String stats(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", sorted.get(0), median, sorted.get(sorted.size() - 1));
    }
}
