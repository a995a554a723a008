package io.pgha.vip;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.Dirs;
import io.pgha.launch.EtcdCluster;
import io.pgha.testing.NetLab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The VIP suites' world: a NetLab segment with node hosts and a client host, a real three-member
 * etcd reachable from inside the hosts over the bridge, and helpers to start {@code pgha vip} (from
 * this module's classpath, inside a host's namespace), write the leader key directly and look at
 * the hosts' addresses and neighbour tables. close() stops every process by PID and deletes every
 * namespace, whatever state the test left.
 */
final class VipLab implements AutoCloseable {
    static final int NAME_PORT = 7000;
    /** The JVM flags of a pgha daemon (see ha-daemon's DaemonJvm): small, fast to start. */
    static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=16m", "-Xss256k", "-XX:MaxMetaspaceSize=64m", "-XX:MaxDirectMemorySize=16m",
            "-Dio.netty.allocator.type=unpooled", "-Xshare:auto");

    final NetLab net;
    final EtcdCluster etcd;
    final Path dir;
    private final Client client;
    private final List<ChildProcess> processes = new ArrayList<>();

    private VipLab(NetLab net, EtcdCluster etcd, Path dir) {
        this.net = net;
        this.etcd = etcd;
        this.dir = dir;
        this.client = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
    }

    /** Hosts by name, etcd with its v2 API on too (Debian's vip-manager 1.0.2 speaks only v2). */
    static VipLab start(String... hosts) {
        NetLab net = NetLab.create();
        EtcdCluster etcd = null;
        try {
            for (String h : hosts) {
                net.addHost(h);
            }
            etcd = EtcdCluster.start(3, EtcdCluster.Options.defaults().alsoListenOn(net.bridgeIpv4()).withV2());
            return new VipLab(net, etcd, Files.createTempDirectory("pgha-vip-"));
        } catch (IOException e) {
            cleanUp(net, etcd);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cleanUp(net, etcd);
            throw e;
        }
    }

    private static void cleanUp(NetLab net, EtcdCluster etcd) {
        if (etcd != null) {
            etcd.close();
        }
        net.close();
    }

    NetLab.Host host(String name) {
        return net.host(name);
    }

    /** The endpoints as seen from inside a host. */
    String endpointsFromHosts() {
        return etcd.clientUrls(net.bridgeIpv4()).stream().collect(Collectors.joining(","));
    }

    /** A vip-manager style config for {@code host}; {@code extra} adds or overrides keys. */
    Path writeConfig(String file, String host, String ip, String triggerKey, Map<String, Object> extra) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("ip", ip);
        keys.put("netmask", ip.contains(":") ? NetLab.IPV6_PREFIX_LENGTH : NetLab.IPV4_PREFIX_LENGTH);
        keys.put("interface", NetLab.HOST_INTERFACE);
        keys.put("trigger-key", triggerKey);
        keys.put("trigger-value", host);
        keys.put("dcs-type", "etcd");
        keys.put("dcs-endpoints", endpointsFromHosts());
        keys.put("interval", 300);
        keys.put("retry-num", 2);
        keys.put("retry-after", 100);
        keys.put("ttl", 4);
        keys.put("loop-wait", 1);
        keys.put("announce-count", 3);
        keys.put("announce-interval", 300);
        keys.putAll(extra);
        String yaml = keys.entrySet().stream()
                .map(e -> e.getKey() + ": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
        Path path = dir.resolve(file);
        try {
            Files.writeString(path, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** {@code pgha vip -c config} inside {@code host}'s namespace, from this module's classpath. */
    ChildProcess startKeeper(String label, String host, Path config) {
        return startKeeper(label, host, config, List.of());
    }

    /** As {@link #startKeeper(String, String, Path)}, behind {@code wrapper} (e.g. setpriv dropping capabilities). */
    ChildProcess startKeeper(String label, String host, Path config, List<String> wrapper) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(javaBinary());
        command.addAll(JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pgha.vip.cli.VipMain", "-c", config.toString()));
        ChildProcess p = host(host).ns().start(label, command, dir.resolve(label + ".log"), Map.of("MALLOC_ARENA_MAX", "2"));
        processes.add(p);
        return p;
    }

    /** A listener answering with the host's name on every address of the host, the VIP included. */
    ChildProcess startNameServer(String host) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx16m", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NameServer.class.getName(), host,
                Integer.toString(NAME_PORT)));
        ChildProcess p = host(host).ns().start("names-" + host, command, dir.resolve("names-" + host + ".log"), Map.of());
        processes.add(p);
        Await.until("name server in " + host, Duration.ofSeconds(30), () -> p.tail(5).contains("answering with"));
        nameServers.add(host);
        return p;
    }

    private final Set<String> nameServers = new HashSet<>();

    /** A name server on {@code host} unless one runs there already. */
    void startNameServerIfMissing(String host) {
        if (!nameServers.contains(host)) {
            startNameServer(host);
        }
    }

    /** Connects from {@code from} to {@code address}'s name server and returns the name it answered with. */
    String whoAnswers(String from, String address) {
        return host(from).ns().bash(Duration.ofSeconds(5),
                "exec 3<>/dev/tcp/" + address + "/" + NAME_PORT + " && timeout 2 head -n1 <&3").output().strip();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void put(String key, String value) {
        try {
            client.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot put " + key, e);
        }
    }

    void delete(String key) {
        try {
            client.getKVClient().delete(bytes(key)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot delete " + key, e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    boolean bound(String host, String ip) {
        return host(host).ns().hasAddress(NetLab.HOST_INTERFACE, ip);
    }

    void awaitBound(String host, String ip, ChildProcess keeper) {
        awaitWithLog(host + " holds " + ip, keeper, () -> bound(host, ip));
    }

    void awaitUnbound(String host, String ip, ChildProcess keeper) {
        awaitWithLog(host + " no longer holds " + ip, keeper, () -> !bound(host, ip));
    }

    static void awaitWithLog(String what, ChildProcess process, BooleanSupplier condition) {
        try {
            Await.until(what, Duration.ofSeconds(15), condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last lines of " + process + ":\n" + process.tail(20), e);
        }
    }

    void stop(ChildProcess p) {
        p.stop(Duration.ofSeconds(10));
        processes.remove(p);
    }

    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (ChildProcess p : List.copyOf(processes)) {
            try {
                p.stop(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        processes.clear();
        try {
            client.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            etcd.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            net.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        Dirs.deleteRecursively(dir);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("VIP lab not fully cleaned up: " + failures);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
