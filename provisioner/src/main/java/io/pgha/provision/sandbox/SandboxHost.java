package io.pgha.provision.sandbox;

import java.nio.file.Path;

/**
 * One host of a sandbox: its address on the bridge (on {@code eth1} inside), its network namespace,
 * the PID of its sshd (the first process of its mount namespace), and its directory under the state
 * dir ({@code upper/} holds everything the host changed on its copy of this machine's filesystem).
 */
public record SandboxHost(String address, String namespace, long sshdPid, Path dir) {
    /** The host's whole filesystem as this machine sees it while its sshd runs. */
    public Path rootView() {
        return Path.of("/proc", Long.toString(sshdPid), "root");
    }

    /** What the host changed: files it wrote, whiteouts for what it deleted. */
    public Path upper() {
        return dir.resolve("upper");
    }
}
