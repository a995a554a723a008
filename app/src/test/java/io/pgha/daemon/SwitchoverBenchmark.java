package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Planned switchover under a writer probing every 50 ms: the write-unavailability window (last
 * acknowledged write before the switchover to the first one after it) and a check that every
 * acknowledged write is on the final primary. Not a test: run with {@code ./run bench}.
 */
class SwitchoverBenchmark {
    static final int RUNS = 7;

    @Test
    void switchover() throws Exception {
        List<Double> windows = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        long lost;
        try (LocalCluster cluster = new LocalCluster(3, "fast", "")) {
            cluster.startAll();
            LocalNode primary = cluster.awaitPrimary(Duration.ofSeconds(120));
            healthy(cluster, primary);
            try (Connection c = cluster.connect(primary); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE probe (id bigint PRIMARY KEY)");
            }
            String url = "jdbc:postgresql://" + cluster.nodes.stream().map(n -> "127.0.0.1:" + n.pgPort()).collect(Collectors.joining(","))
                    + "/postgres?targetServerType=primary&connectTimeout=1&socketTimeout=2&loginTimeout=2";
            for (int i = 0; i < RUNS; i++) {
                LocalNode leader = cluster.awaitPrimary(Duration.ofSeconds(60));
                healthy(cluster, leader);
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong next = new AtomicLong((i + 1) * 1_000_000L);
                List<long[]> successes = new ArrayList<>(); // {start nanos, end nanos}
                Thread writer = new Thread(() -> write(url, writing, next, acknowledged, successes), "probe-writer");
                writer.start();
                Thread.sleep(1000); // the writer is writing steadily before the switchover
                long requested = System.nanoTime();
                HttpResponse<String> r = cluster.http.send(HttpRequest.newBuilder(URI.create(leader.restUrl() + "/switchover"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"leader\":\"" + leader.name() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                long done = System.nanoTime();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Thread.sleep(1500); // and keeps writing after it
                writing.set(false);
                writer.join();
                double window = gapAround(successes, requested) / 1e9;
                windows.add(window);
                answered.add((done - requested) / 1e9);
                System.out.printf(Locale.ROOT, "switchover run %d: %s → %s, writes unavailable %.3f s, REST answered after %.3f s%n",
                        i + 1, leader.name(), r.body().trim(), window, (done - requested) / 1e9);
            }
            LocalNode last = cluster.awaitPrimary(Duration.ofSeconds(60));
            Set<Long> present = new HashSet<>();
            try (Connection c = cluster.connect(last); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM probe")) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
            lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
        }
        String table = "Switchover benchmark — " + Instant.now() + ", 2 cores, 3 nodes on loopback, rto fast, writer probing every 50 ms\n\n"
                + "| scenario | runs | writes unavailable min / median / max (s) | REST answer min / median / max (s) | acknowledged writes lost |\n"
                + "|---|---|---|---|---|\n"
                + "| planned switchover (POST /switchover, candidate chosen) | " + RUNS + " | " + FailoverBenchmark.stats(windows) + " | "
                + FailoverBenchmark.stats(answered) + " | " + lost + " of " + acknowledged.size() + " |\n";
        System.out.println(table);
        Path out = Path.of("target", "benchmark", "switchover.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        assertThat(lost).as("acknowledged writes lost").isZero();
    }

    private static void healthy(LocalCluster cluster, LocalNode primary) {
        assertThat(cluster.awaitHealthy(Duration.ofSeconds(60))).isEqualTo(primary);
        cluster.awaitPublishedStreaming(primary, Duration.ofSeconds(60));
    }

    /** One INSERT per 50 ms on a fresh connection to whichever node is primary; acknowledged ids are remembered. */
    private static void write(String url, AtomicBoolean writing, AtomicLong next, Set<Long> acknowledged, List<long[]> successes) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", LocalNode.SUPERUSER_PASSWORD);
        while (writing.get()) {
            long t = System.nanoTime();
            long id = next.getAndIncrement();
            try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
                st.execute("INSERT INTO probe VALUES (" + id + ")");
                acknowledged.add(id);
                synchronized (successes) {
                    successes.add(new long[] {t, System.nanoTime()});
                }
            } catch (Exception e) {
                // unavailable: that is what is measured
            }
            long sleep = t + 50_000_000L - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The longest gap between consecutive acknowledged writes after the request was sent. */
    private static long gapAround(List<long[]> successes, long requested) {
        long worst = 0;
        synchronized (successes) {
            for (int i = 1; i < successes.size(); i++) {
                long prevEnd = successes.get(i - 1)[1];
                long thisEnd = successes.get(i)[1];
                if (thisEnd >= requested) {
                    worst = Math.max(worst, thisEnd - Math.max(prevEnd, 0));
                }
            }
        }
        return worst;
    }
}
