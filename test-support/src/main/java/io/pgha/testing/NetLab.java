package io.pgha.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Several "hosts" on one Ethernet segment, on one machine: a Linux bridge in the root network
 * namespace, and per host a network namespace joined to it by a veth pair whose inner end is
 * {@code eth0}. Each lab gets its own random id (every name starts with it) and its own /24 out of
 * 198.18.0.0/15, the range RFC 2544 reserves for benchmarking, plus a random IPv6 ULA /64. The
 * bridge carries an address too, so processes inside the hosts can reach services of the root
 * namespace (etcd) at {@link #bridgeIpv4()}.
 *
 * <p>close() deletes everything by name: the namespaces (which takes their veths along) and the
 * bridge. A lab records its owner (PID and start time) in {@code /run/pgha-netlab/<id>}; creating
 * a lab first deletes the leftovers of labs whose owner is dead — and only those, so two test runs
 * on one machine never tear down each other's hosts.
 */
public final class NetLab implements AutoCloseable {
    public static final String HOST_INTERFACE = "eth0";
    public static final int IPV4_PREFIX_LENGTH = 24;
    public static final int IPV6_PREFIX_LENGTH = 64;
    static final Path MARKERS = Path.of("/run/pgha-netlab");
    private static final String PREFIX = "pgt";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<NetLab> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NetLab::close), "delete-net-labs"));
    }

    /** One host: its namespace, its interface and addresses on the segment. */
    public record Host(String name, NetNs ns, String ipv4, String ipv6, String mac) {
        public String interfaceName() {
            return HOST_INTERFACE;
        }
    }

    private final String id;
    private final String ipv4Prefix;
    private final String ipv6Prefix;
    private final List<Host> hosts = new ArrayList<>();
    private final List<NetNs> namespaces = new ArrayList<>();
    private boolean closed;

    private NetLab(String id, String ipv4Prefix, String ipv6Prefix) {
        this.id = id;
        this.ipv4Prefix = ipv4Prefix;
        this.ipv6Prefix = ipv6Prefix;
    }

    /** A fresh lab with its bridge up and no hosts yet. */
    public static NetLab create() {
        try {
            Files.createDirectories(MARKERS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + MARKERS + " (network namespace tests need root): " + e.getMessage(), e);
        }
        try (FileChannel lockFile = FileChannel.open(MARKERS.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            sweepLeftovers();
            String id = freshId();
            String subnet = freeSubnet();
            byte[] ula = new byte[5];
            RANDOM.nextBytes(ula);
            // Groups without leading zeros, as ip prints them: fd12:3:a4c::
            String v6 = String.format("fd%02x:%x:%x::", ula[0] & 0xff, ((ula[1] & 0xff) << 8) | (ula[2] & 0xff),
                    ((ula[3] & 0xff) << 8) | (ula[4] & 0xff));
            NetLab lab = new NetLab(id, subnet, v6);
            Files.writeString(MARKERS.resolve(id), ProcessHandle.current().pid() + " "
                    + ProcState.startTime(ProcessHandle.current().pid()).orElse(0L) + " " + subnet + "0/24\n");
            LIVE.add(lab);
            try {
                lab.createBridge();
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the lab in " + MARKERS, e);
        }
    }

    private void createBridge() {
        String bridge = bridgeName();
        Command.run("ip", "link", "add", bridge, "type", "bridge").orThrow();
        Command.run("ip", "addr", "add", bridgeIpv4() + "/" + IPV4_PREFIX_LENGTH, "dev", bridge).orThrow();
        Command.run("ip", "-6", "addr", "add", ipv6(254) + "/" + IPV6_PREFIX_LENGTH, "dev", bridge, "nodad").orThrow();
        Command.run("ip", "link", "set", bridge, "up").orThrow();
    }

    /**
     * Adds a host {@code name} (at most 6 characters: interface names are limited to 15) with the
     * next addresses on the segment, its eth0 up.
     */
    public synchronized Host addHost(String name) {
        if (!name.matches("[a-z0-9]{1,6}")) {
            throw new IllegalArgumentException("host name must be 1-6 lowercase letters or digits, got " + name);
        }
        int number = hosts.size() + 1;
        String nsName = id + "-" + name;
        NetNs ns = NetNs.create(nsName);
        namespaces.add(ns);
        Command.run("ip", "link", "add", nsName, "type", "veth", "peer", "name", HOST_INTERFACE, "netns", nsName).orThrow();
        Command.run("ip", "link", "set", nsName, "master", bridgeName(), "up").orThrow();
        ns.ip("addr", "add", ipv4(number) + "/" + IPV4_PREFIX_LENGTH, "dev", HOST_INTERFACE).orThrow();
        ns.ip("-6", "addr", "add", ipv6(number) + "/" + IPV6_PREFIX_LENGTH, "dev", HOST_INTERFACE, "nodad").orThrow();
        ns.ip("link", "set", HOST_INTERFACE, "up").orThrow();
        Host host = new Host(name, ns, ipv4(number), ipv6(number), ns.mac(HOST_INTERFACE));
        hosts.add(host);
        return host;
    }

    public String id() {
        return id;
    }

    public String bridgeName() {
        return id + "-br";
    }

    /** The root namespace's address on the segment: where hosts reach services started outside them. */
    public String bridgeIpv4() {
        return ipv4(254);
    }

    /** An address of the segment's /24 (hosts are numbered from 1; 254 is the bridge). */
    public String ipv4(int number) {
        return ipv4Prefix + number;
    }

    /** An address of the segment's IPv6 /64. */
    public String ipv6(int number) {
        return ipv6Prefix + Integer.toHexString(number);
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    public Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in lab " + id));
    }

    /** Deletes every namespace and the bridge of this lab, by name; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (NetNs ns : namespaces) {
            try {
                ns.delete();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        deleteByName(id, failures);
        LIVE.remove(this);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("lab " + id + " not fully deleted: " + String.join("; ", failures));
        }
    }

    /** Deletes whatever carries a lab id: namespaces {@code <id>-*}, the bridge, the marker. */
    private static void deleteByName(String id, List<String> failures) {
        for (String ns : namespacesOf(id)) {
            Command.Result r = Command.run("ip", "netns", "delete", ns);
            if (!r.ok()) {
                failures.add("ip netns delete " + ns + ": " + r.output().strip());
            }
        }
        String bridge = id + "-br";
        if (Command.run("ip", "link", "show", "dev", bridge).ok()) {
            Command.Result r = Command.run("ip", "link", "delete", bridge);
            if (!r.ok()) {
                failures.add("ip link delete " + bridge + ": " + r.output().strip());
            }
        }
        try {
            Files.deleteIfExists(MARKERS.resolve(id));
        } catch (IOException e) {
            failures.add("cannot delete marker " + id + ": " + e.getMessage());
        }
    }

    private static List<String> namespacesOf(String id) {
        return Command.run("ip", "netns", "list").output().lines()
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(id + "-"))
                .toList();
    }

    /**
     * Deletes the namespaces and bridges of labs whose owner process is gone (a test JVM that was
     * killed). A lab whose owner still runs, or that has no marker, is never touched.
     *
     * @return the ids of the labs deleted
     */
    public static List<String> sweepLeftovers() {
        List<String> swept = new ArrayList<>();
        if (!Files.isDirectory(MARKERS)) {
            return swept;
        }
        try (Stream<Path> markers = Files.list(MARKERS)) {
            for (Path marker : markers.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                if (ownerAlive(marker)) {
                    continue;
                }
                String id = marker.getFileName().toString();
                List<String> failures = new ArrayList<>();
                deleteByName(id, failures);
                System.err.println("NetLab: deleted leftovers of lab " + id + " (its owner is dead)"
                        + (failures.isEmpty() ? "" : "; failures: " + failures));
                swept.add(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + MARKERS, e);
        }
        return swept;
    }

    /**
     * Whether lab {@code id} is recorded as existing: its marker is there (its owner may still be
     * alive; {@link #sweepLeftovers} removes the markers of dead owners). For suites that leave
     * things named after a lab outside it (nftables tables of the root namespace, cgroups).
     */
    public static boolean isRecorded(String id) {
        return Files.exists(MARKERS.resolve(id));
    }

    private static boolean ownerAlive(Path marker) {
        String[] fields;
        try {
            fields = Files.readString(marker, StandardCharsets.UTF_8).trim().split(" ");
        } catch (IOException e) {
            return true; // unreadable: not provably dead, leave it
        }
        try {
            long pid = Long.parseLong(fields[0]);
            long started = Long.parseLong(fields[1]);
            Optional<Long> actual = ProcState.startTime(pid);
            // Same PID but another start time: the owner died and its PID was reused.
            return ProcState.isAlive(pid) && actual.isPresent() && actual.get() == started;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String freshId() {
        Set<String> taken = new HashSet<>(Command.run("ip", "netns", "list").output().lines().map(l -> l.split("-")[0]).toList());
        while (true) {
            StringBuilder b = new StringBuilder(PREFIX);
            for (int i = 0; i < 5; i++) {
                b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            String id = b.toString();
            if (!taken.contains(id) && !Files.exists(MARKERS.resolve(id)) && !Command.run("ip", "link", "show", "dev", id + "-br").ok()) {
                return id;
            }
        }
    }

    /** A 198.18.0.0/15 /24 that no address or route of the root namespace uses yet. */
    private static String freeSubnet() {
        String used = Command.run("ip", "-o", "-4", "addr", "show").output() + Command.run("ip", "-4", "route", "show").output();
        for (int attempt = 0; attempt < 1000; attempt++) {
            String prefix = "198." + (18 + RANDOM.nextInt(2)) + "." + RANDOM.nextInt(256) + ".";
            if (!used.contains(" " + prefix) && !used.contains("\n" + prefix) && !used.startsWith(prefix)) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free /24 left in 198.18.0.0/15");
    }
}
