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

    @Test
    void idleClusterAndDaemonRestart() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, "norm", "")) {
            cluster.startAll();
            LocalNode primary = cluster.dumpOnFailure(() -> cluster.awaitHealthy(Duration.ofSeconds(60)));
            Thread.sleep(WARMUP_SECONDS * 1000L); // idle on purpose: the window is what is measured, not a condition
            Map<String, ProcStat> before = usage(cluster);
            Map<String, Double> etcdBefore = EtcdRequests.byMethod(cluster.etcd, cluster.http);
            long t0 = System.nanoTime();
            Thread.sleep(IDLE_SECONDS * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, ProcStat> after = usage(cluster);
            Map<String, Double> etcdAfter = EtcdRequests.byMethod(cluster.etcd, cluster.http);

            StringBuilder table = new StringBuilder();
            table.append("Footprint benchmark — ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores, 3 nodes at rto norm (ttl 8, loop_wait 2, retry 3), 3-member etcd, idle ")
                    .append(WARMUP_SECONDS).append(" s, then measured over ").append(String.format(Locale.ROOT, "%.0f", seconds)).append(" s\n\n");
            table.append("| daemon | role | RSS (MB) | threads | CPU (% of a core) |\n|---|---|---|---|---|\n");
            for (LocalNode n : cluster.nodes) {
                ProcStat a = after.get(n.name());
                double cpu = a.cpuPercentSince(before.get(n.name()), seconds);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %.2f |%n", n.name(),
                        n.equals(primary) ? "primary" : "replica", a.rssKb() / 1024.0, a.threads(), cpu));
            }
            table.append("\n| etcd method (whole cluster) | requests/s |\n|---|---|\n");
            double total = 0;
            for (var e : EtcdRequests.rates(etcdBefore, etcdAfter, seconds).entrySet()) {
                table.append(String.format(Locale.ROOT, "| %s | %.2f |%n", e.getKey(), e.getValue()));
                total += e.getValue();
            }
            table.append(String.format(Locale.ROOT, "| **total** | **%.2f** |%n", total));

            System.out.println(table);
            for (LocalNode n : cluster.nodes) {
                List<String> lines = Files.readAllLines(n.daemonLog());
                System.out.println(n.name() + " last cycles:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            double restart = restartPrimaryDaemon(cluster, primary);
            // Where the restart's time goes, from the restarted daemon's own log lines.
            List<String> log = Files.readAllLines(primary.daemonLog());
            System.out.println("restarted daemon's log:\n  " + String.join("\n  ", log.subList(Math.max(0, log.size() - 25), log.size())));
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

    private static Map<String, ProcStat> usage(LocalCluster cluster) throws IOException {
        Map<String, ProcStat> usage = new TreeMap<>();
        for (LocalNode n : cluster.nodes) {
            usage.put(n.name(), ProcStat.of(cluster.daemons.get(n.name()).pid()));
        }
        return usage;
    }
}
