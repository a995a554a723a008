package io.pgha.provision.sandbox;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * What sandbox to bring up: {@code name} prefixes every namespace, link and directory it makes (so it
 * is short: 1-10 lowercase letters or digits, starting with a letter, since Linux interface names
 * hold 15 characters), one host per address, all in one IPv4 subnet of {@code prefixLength}.
 */
public record SandboxSpec(String name, List<String> hostAddresses, int prefixLength, Path stateDir) {
    public static final Path DEFAULT_PARENT = Path.of("/var/lib/pgha-sandbox");
    /** The name the CLI uses when none is given. */
    public static final String DEFAULT_NAME = "pgsb";

    public SandboxSpec {
        if (name == null || !name.matches("[a-z][a-z0-9]{0,9}")) {
            throw new IllegalArgumentException("sandbox name must be 1-10 lowercase letters or digits starting with a letter"
                    + " (it prefixes interface names, which hold 15 characters), got " + name);
        }
        if (hostAddresses == null || hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("sandbox " + name + ": no host addresses");
        }
        if (hostAddresses.size() > 99) {
            throw new IllegalArgumentException("sandbox " + name + ": at most 99 hosts, got " + hostAddresses.size());
        }
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("sandbox " + name + ": prefix length must be 8-30, got " + prefixLength);
        }
        hostAddresses = List.copyOf(hostAddresses);
        if (new HashSet<>(hostAddresses).size() != hostAddresses.size()) {
            throw new IllegalArgumentException("sandbox " + name + ": a host address is listed twice: " + hostAddresses);
        }
        stateDir = stateDir == null ? defaultStateDir(name) : stateDir.toAbsolutePath().normalize();
        Ipv4Subnet subnet = Ipv4Subnet.of(hostAddresses.get(0), prefixLength);
        for (String a : hostAddresses) {
            subnet.checkHost(a);
        }
    }

    /** A sandbox of these hosts in a /24 with its state in {@link #defaultStateDir}. */
    public static SandboxSpec of(String name, List<String> hostAddresses) {
        return new SandboxSpec(name, hostAddresses, 24, null);
    }

    public static Path defaultStateDir(String name) {
        return DEFAULT_PARENT.resolve(name);
    }

    Ipv4Subnet subnet() {
        return Ipv4Subnet.of(hostAddresses.get(0), prefixLength);
    }
}
