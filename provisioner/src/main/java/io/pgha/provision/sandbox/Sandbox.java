package io.pgha.provision.sandbox;

import io.pgha.launch.Await;
import io.pgha.provision.transport.SshTarget;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pigsty's sandbox on one Linux machine: every inventory host a network namespace on a Linux bridge
 * (its address on {@code eth1}), with a mount namespace of its own whose root is a copy-on-write
 * overlay of this machine's root filesystem (fresh /run, /tmp, /proc, /dev/shm), and its own real
 * sshd, so that the provisioner reaches it over SSH exactly as it would a VM.
 *
 * <p>The bridge {@code <name>-br} carries the subnet's first free address, so this machine reaches
 * every host and every host reaches the others through it. Everything made is recorded in
 * {@code <stateDir>/sandbox.properties} before it is made, and {@link #down} removes it from any
 * process: it kills every process of each host's network namespace (the sshd and whatever was
 * started over SSH; the host's mount namespace and overlay go with the last of them), then deletes
 * the namespaces, links and the state dir. Needs root.
 */
public final class Sandbox {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KILL_GRACE = Duration.ofSeconds(3);
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    static final String IDENTITY = "id_ecdsa";
    static final String KNOWN_HOSTS = "known_hosts";

    private final String name;
    private final Path stateDir;
    private final String bridge;
    private final String bridgeAddress;
    private final List<SandboxHost> hosts;

    private Sandbox(String name, Path stateDir, String bridge, String bridgeAddress, List<SandboxHost> hosts) {
        this.name = name;
        this.stateDir = stateDir;
        this.bridge = bridge;
        this.bridgeAddress = bridgeAddress;
        this.hosts = List.copyOf(hosts);
    }

    // ---- names --------------------------------------------------------------------------------

    static String bridgeName(String name) {
        return name + "-br";
    }

    static String namespaceName(String name, String address) {
        return name + "-" + address.replace('.', '-');
    }

    static String vethName(String name, int index) {
        return name + "-h" + index;
    }

    private static Pattern namespacePattern(String name) {
        return Pattern.compile(Pattern.quote(name) + "-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}");
    }

    private static Pattern vethPattern(String name) {
        return Pattern.compile(Pattern.quote(name) + "-h\\d{1,2}");
    }

    // ---- up -----------------------------------------------------------------------------------

    /**
     * Brings the sandbox up and returns once every host's sshd answers; refuses when a sandbox of that
     * name exists (remove it with {@code --sandbox down} first) or the subnet is in use on this
     * machine. On failure it tears down what it made and throws a {@link SandboxException} naming
     * the host and why.
     */
    public static Sandbox up(SandboxSpec spec) {
        requirements();
        String name = spec.name();
        Path stateDir = spec.stateDir();
        refuseExisting(name, stateDir);
        Ipv4Subnet subnet = spec.subnet();
        refuseUsedSubnet(subnet);
        String bridge = bridgeName(name);
        String bridgeAddress = subnet.firstFree(spec.hostAddresses());
        List<SandboxState.Host> planned = new ArrayList<>();
        for (int i = 0; i < spec.hostAddresses().size(); i++) {
            String a = spec.hostAddresses().get(i);
            planned.add(new SandboxState.Host(a, namespaceName(name, a), vethName(name, i), 0));
        }
        SandboxState state = new SandboxState(name, bridge, bridgeAddress, spec.prefixLength(), planned);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new SandboxException("cannot create the sandbox's state dir " + stateDir + ": " + e.getMessage(), e);
        }
        state.write(stateDir);
        try {
            Cmd.run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "pgha-sandbox-" + name, "-f",
                    stateDir.resolve(IDENTITY).toString()).orThrow();
            String clientKey = Files.readString(stateDir.resolve(IDENTITY + ".pub"));
            Cmd.run("ip", "link", "add", bridge, "type", "bridge").orThrow();
            Cmd.run("ip", "addr", "add", bridgeAddress + "/" + spec.prefixLength(), "dev", bridge).orThrow();
            Cmd.run("ip", "link", "set", bridge, "up").orThrow();
            List<Process> starting = new ArrayList<>();
            StringBuilder knownHosts = new StringBuilder();
            for (SandboxState.Host h : planned) {
                Path dir = stateDir.resolve(h.address());
                wire(h, bridge, bridgeAddress, spec.prefixLength());
                String hostKey = prepare(h, stateDir, dir, clientKey);
                knownHosts.append(h.address()).append(' ').append(hostKey).append('\n');
                starting.add(start(h, dir));
            }
            Files.writeString(stateDir.resolve(KNOWN_HOSTS), knownHosts.toString());
            List<SandboxHost> hosts = new ArrayList<>();
            for (int i = 0; i < planned.size(); i++) {
                SandboxState.Host h = planned.get(i);
                Path dir = stateDir.resolve(h.address());
                long pid = awaitPid(h, dir, starting.get(i));
                state = state.withPid(h.address(), pid);
                state.write(stateDir);
                hosts.add(new SandboxHost(h.address(), h.namespace(), pid, dir));
            }
            for (int i = 0; i < planned.size(); i++) {
                awaitSshd(hosts.get(i), starting.get(i));
            }
            return new Sandbox(name, stateDir, bridge, bridgeAddress, hosts);
        } catch (IOException | RuntimeException e) {
            try {
                down(name, stateDir);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof SandboxException se) {
                throw se;
            }
            throw new SandboxException("sandbox " + name + " did not come up: " + e.getMessage(), e);
        }
    }

    private static void requirements() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new SandboxException("the sandbox needs root (network namespaces, mounts); run it as root");
        }
        for (String tool : List.of("/usr/sbin/sshd", "ssh-keygen", "ip", "unshare", "setsid", "pivot_root")) {
            boolean found = tool.startsWith("/") ? Files.isExecutable(Path.of(tool))
                    : Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if (!found) {
                throw new SandboxException("the sandbox needs " + tool + " (packages openssh-server, openssh-client, iproute2,"
                        + " util-linux: scripts/install-deps.sh installs them)");
            }
        }
    }

    private static void refuseExisting(String name, Path stateDir) {
        String down = "; remove it first with --sandbox down (Sandbox.down(\"" + name + "\", " + stateDir + "))";
        if (Files.exists(SandboxState.file(stateDir))) {
            throw new SandboxException("sandbox " + name + " already exists (" + SandboxState.file(stateDir) + ")" + down);
        }
        if (linkExists(bridgeName(name))) {
            throw new SandboxException("sandbox " + name + " already exists: bridge " + bridgeName(name) + " is there" + down);
        }
        List<String> namespaces = namespacesOf(name);
        if (!namespaces.isEmpty()) {
            throw new SandboxException("sandbox " + name + " already exists: network namespaces " + namespaces + down);
        }
        if (Files.isDirectory(stateDir)) {
            try (Stream<Path> entries = Files.list(stateDir)) {
                if (entries.findAny().isPresent()) {
                    throw new SandboxException("state dir " + stateDir + " of sandbox " + name + " is not empty but holds no "
                            + SandboxState.FILE + "; move it away or choose another dir");
                }
            } catch (IOException e) {
                throw new SandboxException("cannot read " + stateDir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void refuseUsedSubnet(Ipv4Subnet subnet) {
        for (String line : Cmd.run("ip", "-4", "route", "show").orThrow().output().lines().toList()) {
            String dest = line.split(" ")[0];
            if (dest.equals("default") || dest.isBlank()) {
                continue;
            }
            try {
                if (Ipv4Subnet.parseCidr(dest).overlaps(subnet)) {
                    throw new SandboxException("subnet " + subnet + " is already in use on this machine (route `" + line.strip()
                            + "`); choose other host addresses");
                }
            } catch (IllegalArgumentException notAnAddress) {
                // a route type we do not read (e.g. "blackhole ..."): not ours to judge
            }
        }
    }

    /** The host's network namespace, its veth into the bridge, eth1 with its address, lo, the default route. */
    private static void wire(SandboxState.Host h, String bridge, String bridgeAddress, int prefixLength) {
        String ns = h.namespace();
        Cmd.run("ip", "netns", "add", ns).orThrow();
        Cmd.run("ip", "link", "add", h.veth(), "type", "veth", "peer", "name", "eth1", "netns", ns).orThrow();
        Cmd.run("ip", "link", "set", h.veth(), "master", bridge, "up").orThrow();
        Cmd.run("ip", "-n", ns, "addr", "add", h.address() + "/" + prefixLength, "dev", "eth1").orThrow();
        Cmd.run("ip", "-n", ns, "link", "set", "eth1", "up").orThrow();
        Cmd.run("ip", "-n", ns, "link", "set", "lo", "up").orThrow();
        Cmd.run("ip", "-n", ns, "route", "add", "default", "via", bridgeAddress).orThrow();
    }

    /** upper/, work/, root/, seed/ (sshd config, host key, client key), boot.sh; returns "type key" of the host key. */
    private static String prepare(SandboxState.Host h, Path stateDir, Path dir, String clientKey) throws IOException {
        for (String sub : List.of("upper", "work", "root", "seed")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path seed = dir.resolve("seed");
        Cmd.run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "root@" + h.namespace(), "-f",
                seed.resolve("ssh_host_ecdsa_key").toString()).orThrow();
        Files.writeString(seed.resolve("sshd_config"), Bootstrap.sshdConfig(h.address()));
        Files.writeString(seed.resolve("authorized_keys"), clientKey);
        Files.writeString(dir.resolve("boot.sh"), Bootstrap.script(h.address(), h.namespace(), stateDir, dir));
        String[] pub = Files.readString(seed.resolve("ssh_host_ecdsa_key.pub")).trim().split("\\s+");
        return pub[0] + " " + pub[1];
    }

    private static Process start(SandboxState.Host h, Path dir) throws IOException {
        // setsid: the host outlives this JVM and its terminal (the CLI brings it up and exits).
        return new ProcessBuilder("setsid", "ip", "netns", "exec", h.namespace(),
                "unshare", "--mount", "--uts", "--propagation", "private", "sh", dir.resolve("boot.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static long awaitPid(SandboxState.Host h, Path dir, Process process) {
        Path pidFile = dir.resolve("pid");
        long pid;
        try {
            // -1: the boot script is gone (before or after writing its PID): no point waiting longer.
            pid = Await.value("the boot script of " + h.address() + " to record its PID", START_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    return Optional.of(-1L);
                }
                try {
                    String text = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
                    return text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
        } catch (AssertionError e) {
            throw new SandboxException("sandbox host " + h.address() + " did not start within " + START_TIMEOUT.toSeconds() + " s; log "
                    + dir.resolve("sshd.log") + ": " + tail(dir.resolve("sshd.log")), e);
        }
        if (pid < 0) {
            throw new SandboxException(failed(h.address(), process, dir));
        }
        return pid;
    }

    private static void awaitSshd(SandboxHost host, Process process) {
        try {
            Await.until("sshd of sandbox host " + host.address() + " to answer on port 22", START_TIMEOUT,
                    () -> !process.isAlive() || sshAnswers(host.address()));
        } catch (AssertionError e) {
            throw new SandboxException("sshd of sandbox host " + host.address() + " does not answer on port 22 after "
                    + START_TIMEOUT.toSeconds() + " s; log " + host.dir().resolve("sshd.log") + ": " + tail(host.dir().resolve("sshd.log")), e);
        }
        if (!process.isAlive()) {
            throw new SandboxException(failed(host.address(), process, host.dir()));
        }
    }

    private static String failed(String address, Process process, Path dir) {
        return "sandbox host " + address + ": its boot script or sshd exited (status " + process.exitValue() + "); log "
                + dir.resolve("sshd.log") + ": " + tail(dir.resolve("sshd.log"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Whether an SSH server answers on address:22 with its banner. */
    static boolean sshAnswers(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 1000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] banner = new byte[4];
            int n = in.readNBytes(banner, 0, 4);
            return n == 4 && new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    // ---- an existing sandbox ------------------------------------------------------------------

    /** The sandbox recorded in {@code stateDir}, if there is one (it may no longer be healthy). */
    public static Optional<Sandbox> load(String name, Path stateDir) {
        return SandboxState.read(stateDir).map(s -> new Sandbox(name, stateDir, s.bridge(), s.bridgeAddress(),
                s.hosts().stream().map(h -> new SandboxHost(h.address(), h.namespace(), h.pid(), stateDir.resolve(h.address()))).toList()));
    }

    /** Whether every host's sshd still runs and answers. */
    public boolean healthy() {
        return hosts.stream().allMatch(h -> ProcessHandle.of(h.sshdPid()).map(ProcessHandle::isAlive).orElse(false) && sshAnswers(h.address()));
    }

    public String name() {
        return name;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String bridge() {
        return bridge;
    }

    /** This machine's address on the sandbox's bridge: where hosts reach services of this machine. */
    public String bridgeAddress() {
        return bridgeAddress;
    }

    public List<SandboxHost> hosts() {
        return hosts;
    }

    public SandboxHost host(String address) {
        return hosts.stream().filter(h -> h.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sandbox " + name + " has no host " + address));
    }

    /** The client key every host's sshd accepts for root (ECDSA nistp256, no passphrase). */
    public Path identity() {
        return stateDir.resolve(IDENTITY);
    }

    /** Every host's key, as known_hosts lines by address. */
    public Path knownHosts() {
        return stateDir.resolve(KNOWN_HOSTS);
    }

    /** How to log in to a host: root, the sandbox's identity and known_hosts. */
    public SshTarget target(String address) {
        host(address);
        return new SshTarget(address, 22, "root", identity(), knownHosts());
    }

    public List<String> down() {
        return down(name, stateDir);
    }

    // ---- down ---------------------------------------------------------------------------------

    /** What {@link #down} did, in one line for a person: "removed …", or that there was nothing. */
    public static String describe(String name, Path stateDir, List<String> removed) {
        return removed.isEmpty() ? "sandbox " + name + ": nothing to remove (no state in " + stateDir + ", no namespace or link of that name)"
                : "sandbox " + name + " removed: " + String.join("; ", removed);
    }

    /**
     * Removes the sandbox {@code name} recorded in {@code stateDir} (and whatever carries its name):
     * kills every process in each host's network namespace, deletes the namespaces, veths, bridge and
     * the state dir. Safe to call from another process and when there is nothing to remove.
     *
     * @return what was removed, one line each; empty when there was nothing
     */
    public static List<String> down(String name, Path stateDir) {
        Optional<SandboxState> state = SandboxState.read(stateDir);
        Set<String> namespaces = new LinkedHashSet<>();
        Set<String> veths = new LinkedHashSet<>();
        state.ifPresent(s -> s.hosts().forEach(h -> {
            namespaces.add(h.namespace());
            veths.add(h.veth());
        }));
        namespaces.addAll(namespacesOf(name));
        veths.addAll(linksOf(vethPattern(name)));
        String bridge = state.map(SandboxState::bridge).orElse(bridgeName(name));
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String ns : namespaces) {
            try {
                int killed = killAll(ns);
                if (killed > 0) {
                    removed.add("killed " + killed + " process" + (killed == 1 ? "" : "es") + " of host " + ns);
                }
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        for (String ns : namespaces) {
            if (namespaceExists(ns)) {
                Cmd.Result r = Cmd.run("ip", "netns", "delete", ns);
                if (r.ok() || !namespaceExists(ns)) {
                    removed.add("deleted network namespace " + ns);
                } else {
                    failures.add("ip netns delete " + ns + ": " + r.output().strip());
                }
            }
        }
        for (String link : veths) {
            deleteLink(link, "veth", removed, failures);
        }
        deleteLink(bridge, "bridge", removed, failures);
        unmountUnder(stateDir, removed, failures);
        if (Files.isDirectory(stateDir)) {
            if (state.isPresent()) {
                try {
                    deleteTree(stateDir);
                    removed.add("deleted " + stateDir);
                } catch (IOException | UncheckedIOException e) {
                    failures.add("cannot delete " + stateDir + ": " + e.getMessage());
                }
            } else {
                try (Stream<Path> entries = Files.list(stateDir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(stateDir);
                        removed.add("deleted " + stateDir);
                    }
                } catch (IOException e) {
                    failures.add("cannot delete " + stateDir + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new SandboxException("sandbox " + name + " not fully removed: " + String.join("; ", failures)
                    + (removed.isEmpty() ? "" : " (removed: " + String.join("; ", removed) + ")"));
        }
        return removed;
    }

    /** Kills every process of the namespace (SIGTERM, SIGKILL after a grace period) and waits until none is left. */
    private static int killAll(String ns) {
        List<Long> first = namespacePids(ns);
        if (first.isEmpty()) {
            return 0;
        }
        Set<Long> seen = new LinkedHashSet<>(first);
        first.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        long forceAfter = System.nanoTime() + KILL_GRACE.toNanos();
        try {
            Await.until("every process of " + ns + " to exit", KILL_TIMEOUT, () -> {
                List<Long> left = namespacePids(ns);
                seen.addAll(left);
                if (left.isEmpty()) {
                    return true;
                }
                boolean force = System.nanoTime() - forceAfter > 0;
                for (long pid : left) {
                    ProcessHandle.of(pid).ifPresent(p -> {
                        if (force) {
                            p.destroyForcibly();
                        } else if (!first.contains(pid)) {
                            p.destroy(); // started while we were killing (a child of a dying sshd)
                        }
                    });
                }
                return false;
            });
        } catch (AssertionError e) {
            throw new SandboxException("processes of " + ns + " survive SIGKILL: " + namespacePids(ns), e);
        }
        return seen.size();
    }

    static List<Long> namespacePids(String ns) {
        Cmd.Result r = Cmd.run("ip", "netns", "pids", ns);
        if (!r.ok()) {
            return List.of();
        }
        return r.output().lines().map(String::trim).filter(l -> l.matches("\\d+")).map(Long::parseLong).toList();
    }

    static List<String> namespacesOf(String name) {
        Pattern p = namespacePattern(name);
        return Cmd.run("ip", "netns", "list").output().lines().map(l -> l.split(" ")[0]).filter(n -> p.matcher(n).matches()).toList();
    }

    static boolean namespaceExists(String ns) {
        return Cmd.run("ip", "netns", "list").output().lines().anyMatch(l -> l.split(" ")[0].equals(ns));
    }

    private static List<String> linksOf(Pattern pattern) {
        List<String> links = new ArrayList<>();
        for (String line : Cmd.run("ip", "-o", "link", "show").output().lines().toList()) {
            String[] f = line.split(":\\s+");
            if (f.length > 1) {
                String link = f[1].split("@")[0];
                if (pattern.matcher(link).matches()) {
                    links.add(link);
                }
            }
        }
        return links;
    }

    static boolean linkExists(String link) {
        return Cmd.run("ip", "link", "show", "dev", link).ok();
    }

    private static void deleteLink(String link, String what, List<String> removed, List<String> failures) {
        if (linkExists(link)) {
            Cmd.Result r = Cmd.run("ip", "link", "delete", link);
            if (r.ok() || !linkExists(link)) {
                removed.add("deleted " + what + " " + link);
            } else {
                failures.add("ip link delete " + link + ": " + r.output().strip());
            }
        }
    }

    /** Mounts of this (root) namespace under the state dir: there should be none, hosts mount in their own. */
    private static void unmountUnder(Path stateDir, List<String> removed, List<String> failures) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            return;
        }
        String prefix = stateDir.toString() + "/";
        List<String> points = new ArrayList<>();
        for (String line : mounts) {
            String[] f = line.split(" ");
            String point = f.length > 1 ? f[1].replace("\\040", " ") : "";
            if (point.equals(stateDir.toString()) || point.startsWith(prefix)) {
                points.add(point);
            }
        }
        java.util.Collections.reverse(points); // the deepest first
        for (String point : points) {
            Cmd.Result r = Cmd.run("umount", "-l", point);
            if (r.ok()) {
                removed.add("unmounted " + point);
            } else {
                failures.add("umount " + point + ": " + r.output().strip());
            }
        }
    }

    /** Deletes the tree without following symbolic links. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "sandbox " + name + " " + hosts.stream().map(SandboxHost::address).toList();
    }
}
