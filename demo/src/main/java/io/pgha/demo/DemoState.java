package io.pgha.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What `pgha demo up` started, written next to it so that `status` and `down` work from any later
 * shell: the ports (kept across restarts so endpoints stay stable) and the PIDs to stop.
 *
 * @param etcdPorts client and peer port of each etcd member, in pairs
 * @param nodePorts PostgreSQL and REST port of each pgha node, in pairs
 */
record DemoState(List<Integer> etcdPorts, List<Long> etcdPids, List<Integer> nodePorts, List<Long> nodePids) {
    static final String FILE = "demo.properties";
    static final String SCOPE = "demo";

    static Optional<DemoState> load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(new DemoState(
                    parse(p.getProperty("etcd.ports", ""), Integer::parseInt),
                    parse(p.getProperty("etcd.pids", ""), Long::parseLong),
                    parse(p.getProperty("nodes.ports", ""), Integer::parseInt),
                    parse(p.getProperty("nodes.pids", ""), Long::parseLong)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); stop its processes by hand and delete it");
        }
    }

    void save(Path dir) {
        Properties p = new Properties();
        p.setProperty("etcd.ports", join(etcdPorts));
        p.setProperty("etcd.pids", join(etcdPids));
        p.setProperty("nodes.ports", join(nodePorts));
        p.setProperty("nodes.pids", join(nodePids));
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE))) {
            p.store(w, "pgha demo: processes started by `pgha demo up`; `pgha demo down` stops them");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The same ports with nothing running: what `down` leaves for the next `up`. */
    DemoState stopped() {
        return new DemoState(etcdPorts, List.of(), nodePorts, List.of());
    }

    DemoState withEtcd(List<Long> pids) {
        return new DemoState(etcdPorts, pids, nodePorts, nodePids);
    }

    DemoState withNodes(List<Integer> ports, List<Long> pids) {
        return new DemoState(etcdPorts, etcdPids, ports, pids);
    }

    List<String> etcdEndpoints() {
        return clientPorts().stream().map(port -> "http://127.0.0.1:" + port).toList();
    }

    String etcdHosts() {
        return clientPorts().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    List<Integer> clientPorts() {
        return IntStream.range(0, etcdPorts.size() / 2).mapToObj(i -> etcdPorts.get(2 * i)).toList();
    }

    List<LocalNode> nodes(Path dir) {
        return IntStream.range(0, nodePorts.size() / 2)
                .mapToObj(i -> new LocalNode(SCOPE, "pg-" + (i + 1), nodePorts.get(2 * i), nodePorts.get(2 * i + 1), dir.resolve("pg-" + (i + 1))))
                .toList();
    }

    private static String join(List<? extends Number> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static <T> List<T> parse(String csv, Function<String, T> f) {
        if (csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).map(f).toList();
    }
}
