package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Footprint benchmark, not a test: a 3-node cluster at {@code rto: norm} left idle, then measured
 * over a window. Per daemon: RSS, threads, CPU share of one core; for the whole cluster: etcd
 * requests per second by gRPC method, counted by etcd itself (messages received, so every
 * keepalive on the stream counts once). Then the primary's daemon is killed with SIGKILL and started
 * again at once, with PostgreSQL left running: the time from the new JVM's start to the leader key
 * bound to the new daemon's lease is what a daemon crash costs when systemd restarts it.
 * Prints a table and writes {@code target/benchmark/footprint.md}. Run with
 * {@code ./run bench -Dit.test=FootprintBenchmark}; {@code -Dpgha.bench.idle=3600} for the
 * hour-long steady state the goal is stated for.
 */
class FootprintBenchmark {
    static final int WARMUP_SECONDS = Integer.getInteger("pgha.bench.warmup", 30);
    static final int IDLE_SECONDS = Integer.getInteger("pgha.bench.idle", 60);
    static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Pattern METRIC = Pattern.compile(
            "^grpc_server_msg_received_total\\{grpc_method=\"(\\w+)\",grpc_service=\"[^\"]+\",grpc_type=\"[^\"]+\"} (\\S+)$");

    record Usage(long rssKb, int threads, long cpuTicks) {
    }

    @Test
    void idleClusterAndDaemonRestart() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, "norm", "")) {
            cluster.startAll();
            LocalNode primary = cluster.dumpOnFailure(() -> cluster.awaitHealthy(Duration.ofSeconds(60)));
            Thread.sleep(WARMUP_SECONDS * 1000L); // idle on purpose: the window is what is measured, not a condition
            Map<String, Usage> before = usage(cluster);
            Map<String, Double> etcdBefore = etcdMessages(cluster);
            long t0 = System.nanoTime();
            Thread.sleep(IDLE_SECONDS * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Usage> after = usage(cluster);
            Map<String, Double> etcdAfter = etcdMessages(cluster);

            StringBuilder table = new StringBuilder();
            table.append("Footprint benchmark — ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores, 3 nodes at rto norm (ttl 8, loop_wait 2, retry 3), 3-member etcd, idle ")
                    .append(WARMUP_SECONDS).append(" s, then measured over ").append(String.format(Locale.ROOT, "%.0f", seconds)).append(" s\n\n");
            table.append("| daemon | role | RSS (MB) | threads | CPU (% of a core) |\n|---|---|---|---|---|\n");
            for (LocalNode n : cluster.nodes) {
                Usage a = after.get(n.name());
                Usage b = before.get(n.name());
                double cpu = 100.0 * (a.cpuTicks() - b.cpuTicks()) / CLOCK_TICKS_PER_SECOND / seconds;
                table.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %.2f |%n", n.name(),
                        n.equals(primary) ? "primary" : "replica", a.rssKb() / 1024.0, a.threads(), cpu));
            }
            table.append("\n| etcd method (whole cluster) | requests/s |\n|---|---|\n");
            double total = 0;
            for (var e : etcdAfter.entrySet()) {
                double rate = (e.getValue() - etcdBefore.getOrDefault(e.getKey(), 0.0)) / seconds;
                if (rate > 0.001) {
                    table.append(String.format(Locale.ROOT, "| %s | %.2f |%n", e.getKey(), rate));
                    total += rate;
                }
            }
            table.append(String.format(Locale.ROOT, "| **total** | **%.2f** |%n", total));

            System.out.println(table);
            for (LocalNode n : cluster.nodes) {
                List<String> lines = Files.readAllLines(n.daemonLog());
                System.out.println(n.name() + " last cycles:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            double restart = restartPrimaryDaemon(cluster, primary);
            table.append(String.format(Locale.ROOT,
                    "%nDaemon restart (SIGKILL of the primary's daemon, PostgreSQL alive, started again at once): "
                            + "leader key on the new daemon's lease %.2f s after the new JVM started%n", restart));
            System.out.println(table.substring(table.lastIndexOf("\nDaemon restart")));
            Path out = Path.of("target", "benchmark", "footprint.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table.toString());
        }
    }

    /** Seconds from the new daemon's start to the leader key naming it on a lease other than the killed daemon's. */
    private static double restartPrimaryDaemon(LocalCluster cluster, LocalNode primary) {
        String oldLease = leaderLease(cluster).orElseThrow();
        cluster.daemons.get(primary.name()).kill();
        long started = System.nanoTime();
        ChildProcess restarted = cluster.start(primary);
        cluster.dumpOnFailure(() -> {
            Await.until("leader key of " + primary.name() + " on the restarted daemon's lease", Duration.ofSeconds(30),
                    () -> leaderLease(cluster).filter(l -> !l.equals(oldLease)).isPresent()
                            && leaderName(cluster).filter(primary.name()::equals).isPresent());
            return null;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!restarted.isAlive()) {
            throw new AssertionError("the restarted daemon exited");
        }
        return seconds;
    }

    private static Optional<String> leaderLease(LocalCluster cluster) {
        return leaderField(cluster, "\"lease\":\"?(\\d+)");
    }

    private static Optional<String> leaderName(LocalCluster cluster) {
        return leaderField(cluster, "\"value\":\"([^\"]+)\"").map(v -> new String(Base64.getDecoder().decode(v)));
    }

    /** One field of the leader key as etcd's JSON gateway returns it (values base64). */
    private static Optional<String> leaderField(LocalCluster cluster, String regex) {
        String key = Base64.getEncoder().encodeToString(("/service/" + cluster.scope + "/leader").getBytes());
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(cluster.etcd.clientUrl(0) + "/v3/kv/range"))
                    .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build();
            String body = cluster.http.send(r, HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile(regex).matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Map<String, Usage> usage(LocalCluster cluster) throws IOException {
        Map<String, Usage> usage = new TreeMap<>();
        for (LocalNode n : cluster.nodes) {
            long pid = cluster.daemons.get(n.name()).pid();
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15 of stat)
            usage.put(n.name(), new Usage(rss, threads, ticks));
        }
        return usage;
    }

    /** gRPC messages etcd received, by method, summed over its members. */
    private static Map<String, Double> etcdMessages(LocalCluster cluster) throws IOException, InterruptedException {
        Map<String, Double> total = new TreeMap<>();
        for (int i = 0; i < cluster.etcd.size(); i++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(cluster.etcd.clientUrl(i) + "/metrics")).timeout(Duration.ofSeconds(5)).build();
            String body = cluster.http.send(r, HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.lines().toList()) {
                Matcher m = METRIC.matcher(line);
                if (m.matches()) {
                    total.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return total;
    }
}
