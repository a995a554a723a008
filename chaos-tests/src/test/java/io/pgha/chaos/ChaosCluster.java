package io.pgha.chaos;

import io.pgha.testing.Await;
import io.pgha.testing.Command;
import io.pgha.testing.Dirs;
import io.pgha.testing.EtcdCluster;
import io.pgha.testing.NetLab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Three nodes, each a network namespace on one bridge running a pgha daemon and its PostgreSQL,
 * and a 3-member etcd in the root namespace that the nodes reach through the bridge address.
 * Faults are applied here; {@link #close()} stops every process it started by PID and deletes
 * every namespace by name, each step even when an earlier one failed.
 */
final class ChaosCluster implements AutoCloseable {
    static final String NFT_TABLE = "chaos";

    final NetLab lab;
    final EtcdCluster etcd;
    final List<ChaosNode> nodes = new ArrayList<>();
    final Path dir;
    final String scope = "chaos" + Long.toString(System.nanoTime() % 1_000_000, 36);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(700)).build();
    private final List<String> java;
    private final List<Integer> etcdPorts;

    private ChaosCluster(NetLab lab, EtcdCluster etcd, Path dir, List<String> java) {
        this.lab = lab;
        this.etcd = etcd;
        this.dir = dir;
        this.java = java;
        this.etcdPorts = etcd.clientUrls(lab.bridgeIpv4()).stream().map(u -> URI.create(u).getPort()).toList();
    }

    /** Creates the lab and etcd and writes every node's config; the daemons are not started yet. */
    static ChaosCluster create(int size, String rto, List<String> java) {
        NetLab lab = NetLab.create();
        EtcdCluster etcd = null;
        Path dir = null;
        try {
            etcd = EtcdCluster.start(3, EtcdCluster.Options.defaults().alsoListenOn(lab.bridgeIpv4()));
            dir = Files.createTempDirectory("pgha-chaos-");
            Command.run("chmod", "755", dir.toString()).orThrow();
            ChaosCluster c = new ChaosCluster(lab, etcd, dir, java);
            String hosts = c.etcdPorts.stream().map(p -> lab.bridgeIpv4() + ":" + p).collect(Collectors.joining(","));
            for (int i = 1; i <= size; i++) {
                String name = "n" + i;
                ChaosNode n = new ChaosNode(name, lab.addHost(name), dir.resolve(name));
                n.prepare(c.scope, hosts, rto);
                c.nodes.add(n);
            }
            return c;
        } catch (IOException e) {
            cleanup(lab, etcd, dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cleanup(lab, etcd, dir);
            throw e;
        }
    }

    private static void cleanup(NetLab lab, EtcdCluster etcd, Path dir) {
        if (etcd != null) {
            etcd.close();
        }
        lab.close();
        Dirs.deleteRecursively(dir);
    }

    void startAll() {
        nodes.forEach(n -> n.startDaemon(java));
    }

    void start(ChaosNode n) {
        n.startDaemon(java);
    }

    ChaosNode node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst().orElseThrow();
    }

    Optional<ChaosNode> byIp(String ip) {
        return nodes.stream().filter(n -> n.ip().equals(ip)).findFirst();
    }

    /** The nodes answering 200 on /primary right now. */
    List<ChaosNode> primaries() {
        return nodes.stream().filter(n -> n.rest(http, "/primary") == 200).toList();
    }

    /** Exactly one node is primary and every other one answers 200 on /replica. */
    Optional<ChaosNode> healthy() {
        List<ChaosNode> p = primaries();
        if (p.size() != 1) {
            return Optional.empty();
        }
        boolean replicas = nodes.stream().filter(n -> n != p.get(0)).allMatch(n -> n.rest(http, "/replica") == 200);
        return replicas ? Optional.of(p.get(0)) : Optional.empty();
    }

    ChaosNode awaitHealthy(Duration timeout) {
        try {
            return Await.value("one primary and " + (nodes.size() - 1) + " replicas", timeout, this::healthy);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + state() + "\n" + logs(30), e);
        }
    }

    /** Each node's /primary and /replica status, for messages. */
    String state() {
        return nodes.stream().map(n -> n.name + ": /primary " + n.rest(http, "/primary") + ", /replica " + n.rest(http, "/replica")
                + ", daemon " + (n.daemonRunning() ? "running" : "down") + ", postmaster " + n.postmasterPid().map(String::valueOf).orElse("none"))
                .collect(Collectors.joining("\n"));
    }

    String logs(int lines) {
        StringBuilder b = new StringBuilder();
        for (ChaosNode n : nodes) {
            b.append("---- ").append(n.name).append(" (").append(n.daemonLog()).append(")\n").append(n.tail(lines));
        }
        return b.toString();
    }

    // ---- network faults: nftables inside the node's namespace ----

    /** Drops the node's traffic to and from etcd's client ports on the bridge address. */
    void cutFromDcs(ChaosNode n) {
        String ports = etcdPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        nft(n, "ip daddr " + lab.bridgeIpv4() + " tcp dport { " + ports + " } drop",
                "ip saddr " + lab.bridgeIpv4() + " tcp sport { " + ports + " } drop");
    }

    /** Drops all traffic between the node and the other nodes (replication, REST peer checks). */
    void cutFromPeers(ChaosNode n) {
        String others = nodes.stream().filter(o -> o != n).map(ChaosNode::ip).collect(Collectors.joining(", "));
        nft(n, "ip daddr { " + others + " } drop", "ip saddr { " + others + " } drop");
    }

    private void nft(ChaosNode n, String outRule, String inRule) {
        String script = """
                table inet %1$s {
                  chain out { type filter hook output priority 0; policy accept; %2$s; }
                  chain in { type filter hook input priority 0; policy accept; %3$s; }
                }
                """.formatted(NFT_TABLE, outRule, inRule);
        Path file = dir.resolve(n.name + ".nft");
        try {
            Files.writeString(file, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        n.host.ns().exec(Duration.ofSeconds(10), "/usr/sbin/nft", "-f", file.toString()).orThrow();
    }

    /** Removes this suite's nftables table from the node's namespace, if present. */
    void heal(ChaosNode n) {
        if (n.host.ns().exec(Duration.ofSeconds(10), "/usr/sbin/nft", "list", "table", "inet", NFT_TABLE).ok()) {
            n.host.ns().exec(Duration.ofSeconds(10), "/usr/sbin/nft", "delete", "table", "inet", NFT_TABLE).orThrow();
        }
    }

    /** Where close() copies the daemon logs before the scratch directory goes (null: nowhere). */
    Path keepLogsIn;

    private void keepLogs() {
        if (keepLogsIn == null) {
            return;
        }
        try {
            Files.createDirectories(keepLogsIn);
            for (ChaosNode n : nodes) {
                if (Files.exists(n.daemonLog())) {
                    Files.copy(n.daemonLog(), keepLogsIn.resolve(n.name + "-pgha.log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the daemon logs in " + keepLogsIn, e);
        }
    }

    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        // SIGTERM all daemons at once (each stops its PostgreSQL), then what is left is killed by PID.
        List<Thread> stoppers = new ArrayList<>();
        steps.add(() -> {
            for (ChaosNode n : nodes) {
                Thread t = new Thread(() -> n.stopDaemon(Duration.ofSeconds(15)), "stop-" + n.name);
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                try {
                    t.join(40_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        for (ChaosNode n : nodes) {
            steps.add(n::killDaemon);
            steps.add(n::killPostgres);
        }
        steps.add(this::keepLogs);
        steps.add(etcd::close);
        steps.add(lab::close);
        steps.add(() -> Dirs.deleteRecursively(dir));
        io.pgha.testing.Cleanup.all("chaos cluster", steps);
    }
}
