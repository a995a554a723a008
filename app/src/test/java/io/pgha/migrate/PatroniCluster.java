package io.pgha.migrate;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.Dirs;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import io.pgha.testing.Cleanup;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A real Patroni cluster on a real etcd, whose nodes a test can hand over to pgha and back; stops all of it in {@link #close()}. */
final class PatroniCluster implements AutoCloseable {
    final EtcdCluster etcd;
    final List<PatroniNode> nodes = new ArrayList<>();
    final Path dir;
    final String scope;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    PatroniCluster(int size) throws IOException {
        dir = Files.createTempDirectory("pgha-migrate-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        scope = "mig" + Long.toString(System.nanoTime() % 1_000_000, 36);
        etcd = EtcdCluster.start(1);
        for (int i = 1; i <= size; i++) {
            PatroniNode n = new PatroniNode(new LocalNode(scope, "node" + i, Ports.free(), Ports.free(), dir.resolve("node" + i)));
            n.writePatroniYml(etcd.hosts());
            nodes.add(n);
        }
    }

    PatroniNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /** The single node whose /primary answers 200, whichever daemon runs it. */
    PatroniNode awaitPrimary(Duration timeout) {
        return dumpOnFailure(() -> Await.value("exactly one node answering 200 on /primary", timeout, () -> {
            List<PatroniNode> primaries = nodes.stream().filter(n -> n.node.restStatus(http, "GET", "/primary") == 200).toList();
            return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
        }));
    }

    void awaitReplica(PatroniNode n, Duration timeout) {
        dumpOnFailure(() -> {
            Await.until(n.name() + " answering 200 on /replica", timeout, () -> n.node.restStatus(http, "GET", "/replica") == 200);
            return null;
        });
    }

    void awaitStreaming(PatroniNode primary, PatroniNode replica, Duration timeout) {
        dumpOnFailure(() -> {
            Await.until(replica.name() + " streaming from " + primary.name(), timeout, () -> {
                try (Connection c = connect(primary); var st = c.createStatement();
                     var rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = '" + replica.name()
                             + "' AND state = 'streaming'")) {
                    return rs.next() && rs.getInt(1) == 1;
                } catch (SQLException e) {
                    return false;
                }
            });
            return null;
        });
    }

    /**
     * The member key of {@code n} says running (or streaming), as the leader's /cluster shows it: what
     * a switchover's candidate check reads. A daemon publishes it once per loop_wait, so a replica
     * already streaming may still be "starting" there.
     */
    void awaitPublishedRunning(PatroniNode leader, PatroniNode n, Duration timeout) {
        Pattern running = Pattern.compile("\"name\":\\s*\"" + n.name() + "\"[^}]*?\"state\":\\s*\"(running|streaming)\"");
        dumpOnFailure(() -> {
            Await.until(n.name() + " published as running", timeout,
                    () -> leader.node.restBody(http, "/cluster").map(b -> running.matcher(b).find()).orElse(false));
            return null;
        });
    }

    String writerUrl() {
        return "jdbc:postgresql://" + nodes.stream().map(n -> "127.0.0.1:" + n.node.pgPort()).collect(Collectors.joining(","))
                + "/postgres?targetServerType=primary";
    }

    Connection connect(PatroniNode n) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", PatroniNode.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(n.node.jdbcUrl(), p);
    }

    <T> T dumpOnFailure(Supplier<T> wait) {
        try {
            return wait.get();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logs(), e);
        }
    }

    String logs() {
        return nodes.stream().map(PatroniNode::logs).collect(Collectors.joining());
    }

    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        nodes.forEach(n -> steps.addAll(n.stopSteps()));
        steps.add(etcd::close);
        steps.add(() -> Dirs.deleteRecursively(dir));
        Cleanup.all("patroni cluster", steps);
    }
}
