package io.pgha.testing;

import io.pgha.launch.ChildProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One network namespace ({@code ip netns}), used as a "host" by the multi-node tests. Commands and
 * processes run inside it through {@code ip netns exec}, which execs the command itself, so a
 * process started here has the PID we stop it by. Created and deleted by {@link NetLab}; on its own
 * it is only as clean as its caller's close().
 */
public final class NetNs implements AutoCloseable {
    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private boolean deleted;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates the namespace with its loopback up. */
    public static NetNs create(String name) {
        Command.run("ip", "netns", "add", name).orThrow();
        NetNs ns = new NetNs(name);
        ns.ip("link", "set", "lo", "up").orThrow();
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip -n <ns> args…}. */
    public Command.Result ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return Command.run(command, COMMAND_TIMEOUT);
    }

    /** Runs a command inside the namespace to completion. */
    public Command.Result exec(Duration timeout, String... command) {
        return Command.run(inside(List.of(command)), timeout);
    }

    /** Runs a shell snippet inside the namespace (bash's /dev/tcp makes a TCP client without extra packages). */
    public Command.Result bash(Duration timeout, String script) {
        return exec(timeout, "bash", "-c", script);
    }

    /** Starts a long-running process inside the namespace; the caller stops it by PID (ChildProcess.stop/kill). */
    public ChildProcess start(String label, List<String> command, Path log, Map<String, String> env) {
        return ChildProcess.start(label, inside(command), log, env);
    }

    /** A line-stamped monitor inside the namespace, e.g. {@code monitor("ip", "monitor", "neigh")}. */
    public LineMonitor monitor(String... command) {
        return LineMonitor.start(inside(List.of(command)));
    }

    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** The MAC address of an interface in this namespace. */
    public String mac(String interfaceName) {
        String out = ip("link", "show", "dev", interfaceName).orThrow().output();
        Matcher m = ETHER.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no MAC address for " + interfaceName + " in " + name + ": " + out);
        }
        return m.group(1);
    }

    /** Whether {@code address} is bound to {@code interfaceName} here. */
    public boolean hasAddress(String interfaceName, String address) {
        String out = ip("-o", "addr", "show", "dev", interfaceName).orThrow().output();
        return Pattern.compile("inet6? " + Pattern.quote(address) + "/").matcher(out).find();
    }

    /** The MAC this namespace's neighbour table holds for {@code address}, if it has a usable entry. */
    public Optional<String> neighbourMac(String address) {
        String out = ip("neigh", "show", "to", address).orThrow().output();
        Matcher m = LLADDR.matcher(out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public void delete() {
        if (!deleted) {
            deleted = true;
            Command.Result r = Command.run("ip", "netns", "delete", name);
            if (!r.ok() && exists(name)) {
                throw new IllegalStateException("could not delete network namespace " + name + ": " + r.output().strip());
            }
        }
    }

    public static boolean exists(String name) {
        return Command.run("ip", "netns", "list").output().lines().anyMatch(l -> l.split(" ")[0].equals(name));
    }

    @Override
    public void close() {
        delete();
    }

    @Override
    public String toString() {
        return name;
    }
}
