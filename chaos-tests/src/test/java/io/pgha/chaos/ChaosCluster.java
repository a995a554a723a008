package io.pgha.chaos;

import io.pgha.launch.Await;
import io.pgha.launch.Dirs;
import io.pgha.launch.EtcdCluster;
import io.pgha.testing.Cleanup;
import io.pgha.testing.Command;
import io.pgha.testing.NetLab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Three nodes, each a network namespace on one bridge running a pgha daemon and its PostgreSQL,
 * and a 3-member etcd in the root namespace that the nodes reach through the bridge address.
 * Faults are applied here; {@link #close()} stops every process it started by PID and deletes
 * every namespace by name, each step even when an earlier one failed.
 */
final class ChaosCluster implements AutoCloseable {
    static final String NFT_TABLE = "chaos";
    static final String SPLIT_TABLE_PREFIX = "pgha_chaos_split_";
    static final String SPLIT_CGROUP_PREFIX = "pgha-chaos-";
    /**
     * Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup/unified in the hybrid layout of our
     * machines (next to the v1 controllers), /sys/fs/cgroup where v2 is the only one.
     */
    static final Path CGROUP2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
            ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup/unified");

    final NetLab lab;
    final EtcdCluster etcd;
    final List<ChaosNode> nodes = new ArrayList<>();
    final Path dir;
    final String scope = "chaos" + Long.toString(System.nanoTime() % 1_000_000, 36);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(700)).build();
    private final List<String> java;
    private final List<Integer> etcdPorts;

    /** The bootstrap dcs line that makes a run synchronous (as SynchronousIT sets it up). */
    static final String SYNCHRONOUS_MODE = "synchronous_mode: true";

    final boolean synchronous;
    /** The root namespace's nftables table of the minority/majority split: unique per lab, so never another run's. */
    final String splitTable;
    /** The cgroup (v2) the minority etcd member is moved into, so nftables can tell its sockets from its peers'. */
    final Path splitCgroup;
    /** Members stopped by {@link #freezeEtcd} and not yet continued. */
    private final Set<Integer> frozenEtcd = ConcurrentHashMap.newKeySet();
    /** The minority member while a split is in effect (-1: none). */
    private volatile int splitMember = -1;

    private ChaosCluster(NetLab lab, EtcdCluster etcd, Path dir, List<String> java, boolean synchronous) {
        this.lab = lab;
        this.etcd = etcd;
        this.dir = dir;
        this.java = java;
        this.synchronous = synchronous;
        this.etcdPorts = etcd.clientUrls(lab.bridgeIpv4()).stream().map(u -> URI.create(u).getPort()).toList();
        this.splitTable = SPLIT_TABLE_PREFIX + lab.id();
        this.splitCgroup = CGROUP2.resolve(SPLIT_CGROUP_PREFIX + lab.id());
    }

    /**
     * Creates the lab and etcd and writes every node's config; the daemons are not started yet.
     * {@code synchronous}: the cluster bootstraps with {@code synchronous_mode: true}.
     */
    static ChaosCluster create(int size, String rto, List<String> java, boolean synchronous) {
        NetLab lab = NetLab.create(); // sweeps the leftovers of labs whose owner died, markers included
        sweepLeftoverSplits();
        EtcdCluster etcd = null;
        Path dir = null;
        try {
            etcd = EtcdCluster.start(3, EtcdCluster.Options.defaults().alsoListenOn(lab.bridgeIpv4()));
            dir = Files.createTempDirectory("pgha-chaos-");
            Command.run("chmod", "755", dir.toString()).orThrow();
            ChaosCluster c = new ChaosCluster(lab, etcd, dir, java, synchronous);
            String hosts = c.etcdPorts.stream().map(p -> lab.bridgeIpv4() + ":" + p).collect(Collectors.joining(","));
            for (int i = 1; i <= size; i++) {
                String name = "n" + i;
                ChaosNode n = new ChaosNode(name, lab.addHost(name), dir.resolve(name));
                n.prepare(c.scope, hosts, rto, synchronous ? SYNCHRONOUS_MODE : "");
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

    /**
     * Deletes the root-namespace tables and cgroups of splits whose lab is gone (a test JVM killed
     * during a split never ran close()): its rules name loopback ports another run may use next.
     * A lab that is still recorded may be another live run's, and is left alone.
     */
    static void sweepLeftoverSplits() {
        for (String line : Command.run("/usr/sbin/nft", "list", "tables").output().lines().toList()) {
            String[] f = line.strip().split(" ");
            if (f.length == 3 && f[0].equals("table") && f[1].equals("inet") && f[2].startsWith(SPLIT_TABLE_PREFIX)
                    && !NetLab.isRecorded(f[2].substring(SPLIT_TABLE_PREFIX.length()))) {
                Command.run("/usr/sbin/nft", "delete", "table", "inet", f[2]);
                System.err.println("ChaosCluster: deleted leftover nftables table " + f[2]);
            }
        }
        if (!Files.isDirectory(CGROUP2)) {
            return;
        }
        try (var dirs = Files.newDirectoryStream(CGROUP2, p -> p.getFileName().toString().startsWith(SPLIT_CGROUP_PREFIX))) {
            for (Path cg : dirs) {
                if (!NetLab.isRecorded(cg.getFileName().toString().substring(SPLIT_CGROUP_PREFIX.length()))) {
                    releaseCgroup(cg);
                    System.err.println("ChaosCluster: removed leftover cgroup " + cg);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + CGROUP2, e);
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

    // ---- etcd faults: the members run in the root namespace ----

    /** Each member's answer to POST /v3/maintenance/status on its loopback client URL; empty where none came. */
    List<Optional<EtcdStatus>> etcdStatuses() {
        List<Optional<EtcdStatus>> out = new ArrayList<>();
        for (int i = 0; i < etcd.size(); i++) {
            out.add(etcdStatus(i));
        }
        return out;
    }

    private Optional<EtcdStatus> etcdStatus(int i) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(etcd.clientUrl(i) + "/v3/maintenance/status"))
                    .timeout(Duration.ofMillis(700)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? EtcdStatus.parse(resp.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The index of the etcd member that leads, once the members agree on one. */
    int awaitEtcdLeader(Duration timeout) {
        return Await.value("an etcd leader the members agree on", timeout, () -> EtcdStatus.leaderIndex(etcdStatuses()));
    }

    /**
     * Awaits a leader the answering members agree on other than member {@code old} (which may still
     * answer, believing it leads, or not answer at all) and returns its index.
     */
    int awaitEtcdLeaderOtherThan(int old, Duration timeout) {
        return Await.value("an etcd leader other than " + etcd.memberName(old), timeout,
                () -> EtcdStatus.leaderIndex(etcdStatuses()).filter(i -> i != old));
    }

    /** SIGSTOP to member {@code i}; returns once /proc shows it stopped. */
    void freezeEtcd(int i) {
        frozenEtcd.add(i);
        etcd.freezeMember(i);
        long pid = etcd.pid(i);
        Await.until(etcd.memberName(i) + " stopped", ChaosNode.SIGNAL_TAKES_EFFECT,
                () -> Procs.stat(pid).map(s -> s.stopped() || s.gone()).orElse(true));
    }

    /** SIGCONT to every member {@link #freezeEtcd} stopped. */
    void thawEtcd() {
        for (Integer i : List.copyOf(frozenEtcd)) {
            etcd.thawMember(i);
            frozenEtcd.remove(i);
        }
    }

    /** kill -9 of member {@code i} (its data directory stays). */
    void killEtcd(int i) {
        etcd.killMember(i);
    }

    /** Restarts member {@code i} on its data directory if it is not running, and awaits it healthy. */
    void restartEtcd(int i) {
        if (!etcd.isRunning(i)) {
            etcd.startMember(i);
        }
        etcd.awaitHealthy(i, Duration.ofSeconds(30));
    }

    // ---- the minority/majority split ----

    /**
     * Splits the cluster in two: {@code primary}'s node with etcd member {@code minority} on one side,
     * the other nodes with the other members on the other.
     * <ul>
     *   <li>in {@code primary}'s namespace: its traffic with the other nodes and with the majority
     *       members' client ports is dropped;</li>
     *   <li>in the other nodes' namespaces: their traffic with the minority member's client port;</li>
     *   <li>in the root namespace, where the members talk to each other on 127.0.0.1 (raft, peer
     *       ports): everything to or from the minority member's peer port, and whatever the minority
     *       member itself sends to the others' peer ports. All members dial from 127.0.0.1, so the
     *       minority member's own connections are told apart by its cgroup (it is moved into
     *       {@link #splitCgroup}: new sockets are matched by {@code socket cgroupv2}) and, for the
     *       connections it already holds (a socket keeps the cgroup it was created in), by their
     *       ports, read from /proc.</li>
     * </ul>
     * Every rule is a drop, as a broken network does, not a reset. {@link #healSplit} undoes it all.
     */
    void split(ChaosNode primary, int minority) {
        splitMember = minority;
        List<Integer> majority = new ArrayList<>();
        for (int i = 0; i < etcd.size(); i++) {
            if (i != minority) {
                majority.add(i);
            }
        }
        String majorityPeers = majority.stream().map(i -> String.valueOf(etcd.peerPort(i))).collect(Collectors.joining(", "));
        String majorityClients = majority.stream().map(i -> String.valueOf(etcd.clientPort(i))).collect(Collectors.joining(", "));
        int minorityPeer = etcd.peerPort(minority);
        // The member first, then its existing sockets: a socket it opens after the move is matched by the cgroup.
        long pid = etcd.pid(minority);
        try {
            Files.createDirectories(splitCgroup);
            Files.writeString(splitCgroup.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + etcd.memberName(minority) + " into " + splitCgroup, e);
        }
        List<String> rules = new ArrayList<>();
        rules.add("tcp dport " + minorityPeer + " drop");
        rules.add("tcp sport " + minorityPeer + " drop");
        rules.add("socket cgroupv2 level 1 \"" + Path.of("/sys/fs/cgroup").relativize(splitCgroup) + "\" tcp dport { " + majorityPeers + " } drop");
        for (Procs.TcpSocket sock : Procs.tcpSockets(pid)) {
            if (majority.stream().anyMatch(i -> etcd.peerPort(i) == sock.remotePort())) {
                rules.add("tcp sport " + sock.localPort() + " tcp dport " + sock.remotePort() + " drop");
                rules.add("tcp sport " + sock.remotePort() + " tcp dport " + sock.localPort() + " drop");
            }
        }
        String script = "table inet " + splitTable + " {\n  chain out { type filter hook output priority 0; policy accept;\n    "
                + String.join(";\n    ", rules) + ";\n  }\n}\n";
        Path file = dir.resolve(splitTable + ".nft");
        try {
            Files.writeString(file, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.run(List.of("/usr/sbin/nft", "-f", file.toString()), Duration.ofSeconds(10)).orThrow();

        String others = nodes.stream().filter(o -> o != primary).map(ChaosNode::ip).collect(Collectors.joining(", "));
        nft(primary, "ip daddr { " + others + " } drop; ip daddr " + lab.bridgeIpv4() + " tcp dport { " + majorityClients + " } drop",
                "ip saddr { " + others + " } drop; ip saddr " + lab.bridgeIpv4() + " tcp sport { " + majorityClients + " } drop");
        int minorityClient = etcd.clientPort(minority);
        for (ChaosNode n : nodes) {
            if (n != primary) {
                nft(n, "ip daddr " + lab.bridgeIpv4() + " tcp dport " + minorityClient + " drop",
                        "ip saddr " + lab.bridgeIpv4() + " tcp sport " + minorityClient + " drop");
            }
        }
    }

    /** Undoes {@link #split}: every node's table, the root namespace's table, the cgroup. Each step runs even if one fails. */
    void healSplit() {
        List<Runnable> steps = new ArrayList<>();
        for (ChaosNode n : nodes) {
            steps.add(() -> heal(n));
        }
        steps.add(this::deleteSplitTable);
        steps.add(this::releaseSplitCgroup);
        Cleanup.all("heal the split", steps);
        splitMember = -1;
    }

    /** The minority member while a split is in effect. */
    Optional<Integer> splitMember() {
        return splitMember < 0 ? Optional.empty() : Optional.of(splitMember);
    }

    private void deleteSplitTable() {
        if (splitTablePresent()) {
            Command.run("/usr/sbin/nft", "delete", "table", "inet", splitTable).orThrow();
        }
    }

    private void releaseSplitCgroup() {
        releaseCgroup(splitCgroup);
    }

    /** Moves whatever is in {@code cgroup} back to the root cgroup and removes it. */
    private static void releaseCgroup(Path cgroup) {
        if (!Files.isDirectory(cgroup)) {
            return;
        }
        try {
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                if (!pid.isBlank()) {
                    try {
                        Files.writeString(CGROUP2.resolve("cgroup.procs"), pid.strip());
                    } catch (IOException e) {
                        // exited meanwhile
                    }
                }
            }
            Await.until("cgroup " + cgroup + " empty", Duration.ofSeconds(10), () -> {
                try {
                    return Files.readString(cgroup.resolve("cgroup.procs")).isBlank();
                } catch (IOException e) {
                    return true;
                }
            });
            Files.delete(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + cgroup, e);
        }
    }

    /** Removes this suite's nftables table from the node's namespace, if present. */
    void heal(ChaosNode n) {
        if (cutTablePresent(n)) {
            n.host.ns().exec(Duration.ofSeconds(10), "/usr/sbin/nft", "delete", "table", "inet", NFT_TABLE).orThrow();
        }
    }

    /** Where close() copies the daemon and PostgreSQL logs before the scratch directory goes (null: nowhere). */
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
                // PostgreSQL's own log (pg_ctl -l, next to the data directory): why a standby never got consistent.
                Path pgLog = n.dataDir().resolveSibling(n.dataDir().getFileName() + ".log");
                if (Files.exists(pgLog)) {
                    Files.copy(pgLog, keepLogsIn.resolve(n.name + "-postgresql.log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the daemon logs in " + keepLogsIn, e);
        }
    }

    /**
     * Undoes every fault that may still be in effect (one that threw before its own heal): SIGCONT
     * to every process a fault stopped (PostgreSQL, daemons, etcd members), every nftables table of
     * the nodes' namespaces and of the root namespace deleted, the split's cgroup removed. Each step
     * runs even if one fails. close() starts with these steps.
     */
    void undoFaults() {
        Cleanup.all("undo the faults", undoSteps());
    }

    private List<Runnable> undoSteps() {
        List<Runnable> steps = new ArrayList<>();
        for (ChaosNode n : nodes) {
            steps.add(n::thawPostgres);
            steps.add(n::thawDaemonIfRunning);
        }
        steps.add(this::thawEtcd);
        steps.add(this::deleteSplitTable);
        steps.add(this::releaseSplitCgroup);
        for (ChaosNode n : nodes) {
            steps.add(() -> heal(n));
        }
        steps.add(() -> splitMember = -1);
        return steps;
    }

    /** Whether this cluster's split table exists in the root namespace. */
    boolean splitTablePresent() {
        return Command.run("/usr/sbin/nft", "list", "table", "inet", splitTable).ok();
    }

    /** Whether the node's namespace has this suite's nftables table. */
    boolean cutTablePresent(ChaosNode n) {
        return n.host.ns().exec(Duration.ofSeconds(10), "/usr/sbin/nft", "list", "table", "inet", NFT_TABLE).ok();
    }

    @Override
    public void close() {
        // First undo the faults, so that the daemons can stop cleanly.
        List<Runnable> steps = new ArrayList<>(undoSteps());
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
        Cleanup.all("chaos cluster", steps);
    }
}
