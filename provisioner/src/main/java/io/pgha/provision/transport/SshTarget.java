package io.pgha.provision.transport;

import java.nio.file.Path;

/**
 * Where and as whom to log in: {@code host:port} as {@code user} with the private key
 * {@code identity}, the host's key checked strictly against {@code knownHosts}.
 */
public record SshTarget(String host, int port, String user, Path identity, Path knownHosts) {
    public SshTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ssh target: host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ssh target " + host + ": port " + port + " is not in 1-65535");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("ssh target " + host + ": user is empty");
        }
    }

    /** {@code host:port}, as errors name it. */
    public String address() {
        return host + ":" + port;
    }

    public boolean root() {
        return user.equals("root");
    }
}
