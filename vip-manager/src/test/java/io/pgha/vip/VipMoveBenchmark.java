package io.pgha.vip;

import io.pgha.launch.ChildProcess;
import io.pgha.testing.Command;
import io.pgha.testing.LineMonitor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long after the leader key changes (a) the new leader's node has the VIP and (b) a client on
 * the segment, doing nothing, has the new node's MAC for it — pgha vip against Debian's vip-manager
 * 1.0.2, on the same namespaces, etcd and settings (Pigsty's: interval 1000 ms, retry-num 2,
 * retry-after 250 ms), in one run. Event times come from {@code ip monitor} inside the namespaces,
 * so nothing polls. vip-manager 1.0.2 reads the etcd v2 API, so its leader key is written there;
 * ours is written with the v3 API, as Patroni's etcd3 and pgha write it. Measures, does not judge:
 * {@code mvn -Pbenchmark verify -pl vip-manager} (after {@code install}).
 */
class VipMoveBenchmark {
    private static final int MOVES = Integer.getInteger("pgha.bench.moves", 12);
    private static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    private static final Random RANDOM = new Random();
    private static final Map<String, Object> PIGSTY = Map.of("interval", 1000, "retry-num", 2, "retry-after", 250);

    record Move(String to, Optional<Long> boundMillis, Optional<Long> neighbourMillis) {
    }

    interface KeyWriter {
        void leader(String member);
    }

    @Test
    void vipMoveLatency() throws Exception {
        ensureDebianVipManager();
        Map<String, List<Move>> results = new LinkedHashMap<>();
        try (VipLab lab = VipLab.start("n1", "n2", "n3", "cl")) {
            String vip = lab.net.ipv4(100);
            lab.startNameServer("n1");

            String ourKey = "/service/bench/leader";
            List<ChildProcess> ours = new ArrayList<>();
            for (String n : NODES) {
                Map<String, Object> keys = new LinkedHashMap<>(PIGSTY);
                keys.put("ttl", 30);
                keys.put("loop-wait", 10);
                keys.put("announce-count", 5);
                keys.put("announce-interval", 1000);
                ours.add(lab.startKeeper("pgha-" + n, n, lab.writeConfig("pgha-" + n + ".yml", n, vip, ourKey, keys)));
            }
            results.put("pgha vip", run(lab, vip, m -> lab.put(ourKey, m), ours));
            ours.forEach(lab::stop);

            String theirKey = "/service/bench-v2/leader";
            HttpClient http = HttpClient.newHttpClient();
            KeyWriter v2 = m -> putV2(http, lab.etcd.clientUrl(0), theirKey, m);
            v2.leader("nobody");
            List<ChildProcess> theirs = new ArrayList<>();
            for (String n : NODES) {
                Path config = lab.dir.resolve("vip-manager-" + n + ".yml");
                Files.writeString(config, String.join("\n",
                        "ip: " + vip, "netmask: 24", "interface: eth0", "trigger-key: " + theirKey, "trigger-value: " + n,
                        "dcs-type: etcd", "dcs-endpoints: " + lab.endpointsFromHosts(), "interval: 1000", "retry-num: 2",
                        "retry-after: 250", "") );
                ChildProcess p = lab.host(n).ns().start("vip-manager-" + n, List.of("/usr/bin/vip-manager", "--config", config.toString()),
                        lab.dir.resolve("vip-manager-" + n + ".log"), Map.of());
                theirs.add(p);
            }
            try {
                results.put("vip-manager 1.0.2 (Debian)", run(lab, vip, v2::leader, theirs));
            } finally {
                theirs.forEach(p -> p.stop(Duration.ofSeconds(10)));
            }
            report(results, vip);
        }
        assertThat(results.get("pgha vip")).allSatisfy(m -> assertThat(m.boundMillis()).isPresent());
    }

    /** Moves the leader round the nodes MOVES times; the first move only places the VIP and is not counted. */
    private List<Move> run(VipLab lab, String vip, KeyWriter key, List<ChildProcess> processes) {
        Map<String, LineMonitor> addresses = new LinkedHashMap<>();
        List<Move> moves = new ArrayList<>();
        try (LineMonitor neighbours = lab.host("cl").ns().monitor("ip", "monitor", "neigh")) {
            for (String n : NODES) {
                addresses.put(n, lab.host(n).ns().monitor("ip", "monitor", "address"));
            }
            for (int i = 0; i <= MOVES; i++) {
                String to = NODES.get(i % NODES.size());
                // Start each move at a random phase of the 1 s poll interval. Without it every move
                // would start right after the previous release, which a polling manager does on its
                // tick, and the polling manager would wait a whole interval every time.
                pause(RANDOM.nextInt(1000));
                String mac = lab.host(to).mac();
                int addressMark = addresses.get(to).mark();
                int neighbourMark = neighbours.mark();
                long start = System.nanoTime();
                key.leader(to);
                Optional<Long> bound = addresses.get(to)
                        .await(addressMark, l -> l.contains("inet " + vip + "/") && !l.startsWith("Deleted"), GIVE_UP)
                        .map(l -> (l.nanos() - start) / 1_000_000);
                Optional<Long> neighbour = i == 0 ? Optional.empty() : neighbours
                        .await(neighbourMark, l -> l.startsWith(vip + " ") && l.contains("lladdr " + mac), GIVE_UP)
                        .map(l -> (l.nanos() - start) / 1_000_000);
                // Settle: only the new node holds the VIP before the next move.
                for (String other : NODES) {
                    if (!other.equals(to)) {
                        VipLab.awaitWithLog(other + " released", processes.get(NODES.indexOf(other)), () -> !lab.bound(other, vip));
                    }
                }
                if (i == 0) {
                    // The client learns the VIP's MAC once, by connecting; from then on it only listens.
                    lab.startNameServerIfMissing(to);
                    lab.whoAnswers("cl", vip);
                    continue;
                }
                moves.add(new Move(to, bound, neighbour));
                System.out.printf(Locale.ROOT, "move %2d to %s: bound %s ms, client neighbour %s ms%n", i, to,
                        bound.map(String::valueOf).orElse("-"), neighbour.map(String::valueOf).orElse("-"));
            }
        } finally {
            addresses.values().forEach(LineMonitor::close);
        }
        return moves;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void putV2(HttpClient http, String endpoint, String key, String value) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/v2/keys" + key))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("etcd v2 PUT " + key + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("etcd v2 PUT " + key + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void ensureDebianVipManager() {
        if (Files.isExecutable(Path.of("/usr/bin/vip-manager"))) {
            return;
        }
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        Consumer<List<String>> apt = c -> {
            ProcessBuilder b = new ProcessBuilder(c).inheritIO();
            b.environment().putAll(env);
            try {
                b.start().waitFor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + c, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        apt.accept(List.of("apt-get", "install", "-y", "-qq", "vip-manager"));
        if (!Files.isExecutable(Path.of("/usr/bin/vip-manager"))) {
            apt.accept(List.of("apt-get", "update", "-qq"));
            apt.accept(List.of("apt-get", "install", "-y", "-qq", "vip-manager"));
        }
        assertThat(Path.of("/usr/bin/vip-manager")).as("Debian's vip-manager package installed").isExecutable();
    }

    private static void report(Map<String, List<Move>> results, String vip) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("VIP move latency after the leader key changes, ").append(MOVES).append(" moves each round 3 nodes\n");
        md.append("(ms; Pigsty's settings: interval 1000, retry-num 2, retry-after 250; etcd 3.4, 3 members; ")
                .append(Command.run("uname", "-r").output().strip()).append(")\n\n");
        md.append("| implementation | (a) VIP bound on new node: median | min | max | (b) client neighbour entry updated: median | min | max | (b) not within 10 s |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Move>> e : results.entrySet()) {
            List<Long> bound = e.getValue().stream().flatMap(m -> m.boundMillis().stream()).sorted().toList();
            List<Long> neighbour = e.getValue().stream().flatMap(m -> m.neighbourMillis().stream()).sorted().toList();
            long missed = e.getValue().stream().filter(m -> m.neighbourMillis().isEmpty()).count();
            md.append("| ").append(e.getKey()).append(" | ").append(stats(bound)).append(" | ").append(stats(neighbour))
                    .append(" | ").append(missed).append(" of ").append(e.getValue().size()).append(" |\n");
        }
        System.out.println();
        System.out.println(md);
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vip-move.md"), md);
        System.out.println("written to " + dir.toAbsolutePath().resolve("vip-move.md") + " (VIP " + vip + ")");
    }

    private static String stats(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "– | – | –";
        }
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return String.format(Locale.ROOT, "%.0f | %d | %d", median, sorted.get(0), sorted.get(n - 1));
    }
}
