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
import java.util.stream.Collectors;

/**
 * What `pgha demo up` started, written next to it so that `status` and `down` work from any later
 * shell: the ports (kept across restarts so endpoints stay stable) and the PIDs to stop.
 */
record DemoState(List<Integer> etcdPorts, List<Long> etcdPids) {
    static final String FILE = "demo.properties";

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
                    parse(p.getProperty("etcd.pids", ""), Long::parseLong)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); stop its processes by hand and delete it");
        }
    }

    void save(Path dir) {
        Properties p = new Properties();
        p.setProperty("etcd.ports", etcdPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
        p.setProperty("etcd.pids", etcdPids.stream().map(String::valueOf).collect(Collectors.joining(",")));
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE))) {
            p.store(w, "pgha demo: processes started by `pgha demo up`; `pgha demo down` stops them");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    List<String> etcdEndpoints() {
        return clientPorts().stream().map(port -> "http://127.0.0.1:" + port).toList();
    }

    List<Integer> clientPorts() {
        return java.util.stream.IntStream.range(0, etcdPorts.size() / 2).mapToObj(i -> etcdPorts.get(2 * i)).toList();
    }

    private static <T> List<T> parse(String csv, java.util.function.Function<String, T> f) {
        if (csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).map(f).toList();
    }
}
