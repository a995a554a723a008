package io.pgha.daemon;

import io.pgha.demo.DaemonJvm;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.Dirs;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.LogTail;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A real cluster for tests: 3 etcd members and N pgha daemons (the shaded jar) with PostgreSQL 15,
 * all on loopback. Everything it starts is stopped by PID in {@link #close()}, even after a failure.
 */
public final class LocalCluster implements AutoCloseable {
    public final EtcdCluster etcd;
    public final List<LocalNode> nodes = new ArrayList<>();
    public final Map<String, ChildProcess> daemons = new HashMap<>();
    public final Path dir;
    public final String scope;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Whether {@link #close()} stops {@link #etcd}: not when another cluster of the test shares it. */
    private final boolean ownsEtcd;

    public LocalCluster(int size, String rto, String extraDcs) throws IOException {
        this(size, rto, extraDcs, null);
    }

    /** @param sharedEtcd an etcd another cluster of the same test started (and stops); null for one of its own */
    public LocalCluster(int size, String rto, String extraDcs, EtcdCluster sharedEtcd) throws IOException {
        this(size, rto, extraDcs, sharedEtcd, dir -> "");
    }

    /** @param extraTop top-level pgha.yml sections for every node, given the cluster's directory */
    public LocalCluster(int size, String rto, String extraDcs, EtcdCluster sharedEtcd, Function<Path, String> extraTop)
            throws IOException {
        this(size, rto, extraDcs, sharedEtcd, extraTop, "");
    }

    /**
     * @param etcd3Extra more lines of every node's {@code etcd3} section (protocol, cacert, cert, key,
     *                   username, password), each as {@code "\n  key: value"}: they follow {@code hosts}
     */
    public LocalCluster(int size, String rto, String extraDcs, EtcdCluster sharedEtcd, Function<Path, String> extraTop,
                        String etcd3Extra) throws IOException {
        this(size, rto, extraDcs, sharedEtcd, extraTop, etcd3Extra, null);
    }

    /**
     * A cluster whose nodes keep their state in the Consul agent at {@code consulHostPort} (the
     * test double) instead of etcd: every pgha.yml gets a {@code consul} section registering the
     * member as a service; no etcd runs.
     */
    public static LocalCluster onConsul(int size, String rto, String extraDcs, String consulHostPort) throws IOException {
        return new LocalCluster(size, rto, extraDcs, null, dir -> "", "", consulHostPort);
    }

    private LocalCluster(int size, String rto, String extraDcs, EtcdCluster sharedEtcd, Function<Path, String> extraTop,
                         String etcd3Extra, String consulHostPort) throws IOException {
        dir = Files.createTempDirectory("pgha-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        scope = "it" + Long.toString(System.nanoTime() % 1_000_000, 36);
        ownsEtcd = sharedEtcd == null && consulHostPort == null;
        etcd = consulHostPort != null ? null : ownsEtcd ? EtcdCluster.start(3) : sharedEtcd;
        for (int i = 1; i <= size; i++) {
            LocalNode n = new LocalNode(scope, "node" + i, Ports.free(), Ports.free(), dir.resolve("node" + i));
            n.prepare(etcd != null ? etcd.hosts() + etcd3Extra : "127.0.0.1:1", rto, extraDcs, extraTop.apply(dir));
            if (consulHostPort != null) {
                String yaml = Files.readString(n.config());
                Files.writeString(n.config(), yaml.replace("etcd3:\n  hosts: 127.0.0.1:1\n", "consul:\n  host: " + consulHostPort + "\n  register_service: true\n"));
            }
            nodes.add(n);
        }
    }

    public static List<String> java() {
        String jar = System.getProperty("pgha.jar", "target/pgha.jar");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(DaemonJvm.FLAGS);
        cmd.addAll(List.of("-jar", jar));
        return cmd;
    }

    public void startAll() {
        nodes.forEach(this::start);
    }

    public ChildProcess start(LocalNode n) {
        ChildProcess p = n.start(java());
        daemons.put(n.name(), p);
        return p;
    }

    public LocalNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /** The single node whose /primary answers 200, once there is exactly one. */
    public LocalNode awaitPrimary(Duration timeout) {
        return Await.value("exactly one node answering 200 on /primary", timeout, () -> {
            List<LocalNode> primaries = nodes.stream().filter(n -> n.restStatus(http, "GET", "/primary") == 200).toList();
            return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
        });
    }

    /** One primary, and every node with a running daemon its replica; the primary. On timeout the failure carries the logs. */
    public LocalNode awaitHealthy(Duration timeout) {
        LocalNode p = dumpOnFailure(() -> awaitPrimary(timeout));
        for (LocalNode n : nodes) {
            if (n != p && daemons.containsKey(n.name())) {
                dumpOnFailure(() -> {
                    awaitReplica(n, timeout);
                    return n;
                });
            }
        }
        return p;
    }

    /**
     * Every other running node published as streaming in the DCS, as the leader's {@code /cluster}
     * shows it: what switchover checks read, refreshed only once per loop_wait.
     */
    public void awaitPublishedStreaming(LocalNode primary, Duration timeout) {
        long replicas = nodes.stream().filter(n -> n != primary && daemons.containsKey(n.name())).count();
        dumpOnFailure(() -> {
            Await.until("replicas published as streaming", timeout, () -> primary.restBody(http, "/cluster")
                    .map(b -> b.split("\"streaming\"", -1).length - 1).orElse(0) >= replicas);
            return null;
        });
    }

    public void awaitReplica(LocalNode n, Duration timeout) {
        Await.until(n.name() + " answering 200 on /replica", timeout, () -> n.restStatus(http, "GET", "/replica") == 200);
    }

    public Connection connect(LocalNode n) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", LocalNode.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(n.jdbcUrl(), p);
    }

    /** Kills the node as a power loss would: daemon and PostgreSQL, SIGKILL, no chance to hand over. */
    public void crash(LocalNode n) {
        ChildProcess d = daemons.remove(n.name());
        if (d != null) {
            d.kill();
        }
        n.killPostgres();
    }

    /** Runs a wait; when it times out, the failure carries the tail of every daemon's log. */
    public <T> T dumpOnFailure(Supplier<T> wait) {
        try {
            return wait.get();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logs(), e);
        }
    }

    public String logs() {
        StringBuilder b = new StringBuilder();
        for (LocalNode n : nodes) {
            ChildProcess d = daemons.get(n.name());
            b.append("---- ").append(n.name()).append('\n').append(d != null ? d.tail(40) : LogTail.of(n.daemonLog(), 40));
        }
        return b.toString();
    }

    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        for (LocalNode n : nodes) {
            ChildProcess d = daemons.remove(n.name());
            if (d != null) {
                steps.add(() -> d.stop(Duration.ofSeconds(20))); // SIGTERM: the daemon stops its PostgreSQL
            }
            steps.add(n::killPostgres); // whatever a killed daemon left running
        }
        if (ownsEtcd) {
            steps.add(etcd::close);
        }
        steps.add(() -> Dirs.deleteRecursively(dir));
        Cleanup.all("local cluster", steps);
    }
}
