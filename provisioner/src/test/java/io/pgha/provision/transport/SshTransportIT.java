package io.pgha.provision.transport;

import io.pgha.provision.sandbox.Sandbox;
import io.pgha.provision.sandbox.SandboxSpec;
import io.pgha.provision.sandbox.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SshTransport against real sshd's: the hosts of a two-host sandbox. */
class SshTransportIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static SandboxSpec spec;
    private static Sandbox sandbox;
    private static String a;
    private static String b;
    private static SshTransport onA;
    private static SshTransport onB;

    @BeforeAll
    static void up() {
        spec = TestSandboxes.fresh(2);
        try {
            sandbox = Sandbox.up(spec);
            a = spec.hostAddresses().get(0);
            b = spec.hostAddresses().get(1);
            onA = SshTransport.connect(sandbox.target(a), T);
            onB = SshTransport.connect(sandbox.target(b), T);
        } catch (RuntimeException | Error e) {
            down();
            throw e;
        }
    }

    @AfterAll
    static void down() {
        try {
            if (onA != null) {
                onA.close();
            }
            if (onB != null) {
                onB.close();
            }
        } finally {
            TestSandboxes.downQuietly(spec);
        }
    }

    @Test
    void commandsRunAsRootAndPassExitCodesOutputAndStdin() {
        assertThat(onA.run("id -u", T)).isEqualTo(new Transport.Exec(0, "0\n", ""));
        Transport.Exec e = onA.run("echo out; echo err >&2; exit 7", T);
        assertThat(e.exit()).isEqualTo(7);
        assertThat(e.stdout()).isEqualTo("out\n");
        assertThat(e.stderr()).isEqualTo("err\n");
        assertThat(onA.run("tr a-z A-Z", Optional.of("it's \"quoted\" $HOME".getBytes(StandardCharsets.UTF_8)), T).stdout())
                .isEqualTo("IT'S \"QUOTED\" $HOME");
        assertThat(onA.run("printf '%s' \"it's\" '$x'", T).stdout()).isEqualTo("it's$x");
    }

    @Test
    void oneSessionCarriesManyCommandsAtOnce() {
        // Every command's shell is a child of the one sshd process serving the connection.
        Set<String> parents = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 24).parallel().forEach(i -> {
            Transport.Exec e = onA.run("echo $PPID", T);
            assertThat(e.exit()).as(e.stderr()).isZero();
            parents.add(e.stdout().trim());
        });
        assertThat(parents).hasSize(1);
    }

    @Test
    void aCommandPastItsTimeoutIsANamedError() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> onA.run("sleep 30", Duration.ofMillis(500)))
                .isInstanceOf(TransportException.class).hasMessageContaining(a).hasMessageContaining("`sleep 30` did not finish within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(onA.run("true", T).ok()).as("the session survives").isTrue();
    }

    @Test
    void filesAreWrittenWithModeOwnerAndGroupAndReadBack() {
        byte[] content = new byte[256];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i; // every byte value, not only text
        }
        String path = "/etc/pgha-it/conf.d/it's a file.bin";
        onA.write(path, content, "0640", "postgres", "postgres");
        assertThat(onA.run("stat -c '%a %U %G' " + Shell.quote(path), T).stdout()).isEqualTo("640 postgres postgres\n");
        assertThat(onA.read(path)).hasValueSatisfying(r -> assertThat(r).isEqualTo(content));
        onA.write(path, "second".getBytes(StandardCharsets.UTF_8), "0600", "root", "root");
        assertThat(onA.run("stat -c '%a %U %G' " + Shell.quote(path) + "; ls -A /etc/pgha-it/conf.d", T).stdout())
                .as("replaced, no temporary file left").isEqualTo("600 root root\nit's a file.bin\n");
        assertThat(onA.read(path)).hasValueSatisfying(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("second"));
    }

    @Test
    void readingAMissingFileIsEmpty() {
        assertThat(onA.read("/etc/pgha-it/nothing-here")).isEmpty();
        assertThat(onA.read("/nonexistent-dir/x")).isEmpty();
        assertThatThrownBy(() -> onA.read("/etc")).isInstanceOf(TransportException.class).hasMessageContaining("cannot read /etc");
    }

    @Test
    void aFileWrittenOnOneHostIsOnNoOtherNorOnThisMachine() {
        String path = "/var/lib/pgha-it/only-on-a";
        onA.write(path, "a".getBytes(StandardCharsets.UTF_8), "0644", "root", "root");
        assertThat(onA.read(path)).isPresent();
        assertThat(onB.read(path)).isEmpty();
        assertThat(Path.of(path)).doesNotExist();
    }

    @Test
    void hostsReachEachOtherOverTheBridge() {
        Transport.Exec e = onA.run("timeout 10 bash -c 'exec 3<>/dev/tcp/" + b + "/22; head -c 4 <&3'", T);
        assertThat(e.exit()).as(e.stderr()).isZero();
        assertThat(e.stdout()).isEqualTo("SSH-");
        assertThat(onA.run("ssh-keyscan -t ecdsa " + b + " 2>/dev/null", T).stdout())
                .contains(sandboxKnownHostsLine(b).split(" ")[2]);
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, sandboxKnownHostsLine(b) + "\n"); // B only
        SshTarget target = new SshTarget(a, 22, "root", sandbox.identity(), knownHosts);
        assertThatThrownBy(() -> SshTransport.connect(target, T)).isInstanceOf(TransportException.class)
                .hasMessage("host key of " + a + ":22 is not in " + knownHosts + "; check it and add it (ssh-keyscan -p 22 " + a + " >> "
                        + knownHosts + ")");
    }

    @Test
    void aChangedHostKeyIsRefused(@TempDir Path dir) throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        String[] bLine = sandboxKnownHostsLine(b).split(" ");
        Files.writeString(knownHosts, a + " " + bLine[1] + " " + bLine[2] + "\n"); // A's address with B's key
        SshTarget target = new SshTarget(a, 22, "root", sandbox.identity(), knownHosts);
        assertThatThrownBy(() -> SshTransport.connect(target, T)).isInstanceOf(TransportException.class)
                .hasMessageContaining("host key of " + a + ":22 has CHANGED").hasMessageContaining(knownHosts.toString())
                .hasMessageContaining("refusing to connect");
    }

    @Test
    void aWrongIdentityIsAnAuthenticationErrorNamingTheHost(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("other");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        SshTarget target = new SshTarget(a, 22, "root", key, sandbox.knownHosts());
        assertThatThrownBy(() -> SshTransport.connect(target, T)).isInstanceOf(TransportException.class)
                .hasMessageStartingWith(a + ": authentication as root refused");
    }

    @Test
    void nothingListeningIsUnreachableWithinTheTimeout() {
        // Refused: the host is there, nothing listens on that port.
        SshTarget refused = new SshTarget(a, 2222, "root", sandbox.identity(), sandbox.knownHosts());
        assertThatThrownBy(() -> SshTransport.connect(refused, T)).isInstanceOf(TransportException.class)
                .hasMessageStartingWith(a + ":2222 unreachable: ");
        // No host at all at that address of the sandbox's subnet: no answer, the timeout ends it.
        String nobody = a.replaceAll("\\d+$", "99");
        SshTarget silent = new SshTarget(nobody, 22, "root", sandbox.identity(), sandbox.knownHosts());
        long start = System.nanoTime();
        assertThatThrownBy(() -> SshTransport.connect(silent, Duration.ofMillis(1500))).isInstanceOf(TransportException.class)
                .hasMessageStartingWith(nobody + ":22 unreachable: ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void aLoginOtherThanRootRunsEverythingThroughSudo() {
        // This machine has no sudo: host A gets a stand-in that logs its arguments and runs them as
        // the caller (it cannot make root, but it shows what a real sudo is handed, and quoting survives).
        onA.write("/usr/local/bin/sudo", String.join("\n", "#!/bin/sh",
                "[ \"$1\" = -n ] || { echo 'sudo: a password is required' >&2; exit 1; }",
                "shift", "printf '%s\\n' \"$*\" >> /tmp/sudo.log", "exec \"$@\"", "").getBytes(StandardCharsets.UTF_8),
                "0755", "root", "root");
        Transport.Exec add = onA.run("id pgit >/dev/null 2>&1 || useradd -m -s /bin/bash pgit && usermod -p '*' pgit", T);
        assertThat(add.exit()).as(add.stderr()).isZero();
        try (SshTransport asUser = SshTransport.connect(new SshTarget(a, 22, "pgit", sandbox.identity(), sandbox.knownHosts()), T)) {
            assertThat(asUser.run("printf '%s ' \"it's\"; id -un", T).stdout()).isEqualTo("it's pgit\n");
            assertThat(onA.read("/tmp/sudo.log")).hasValueSatisfying(log -> assertThat(new String(log, StandardCharsets.UTF_8))
                    .isEqualTo("sh -c printf '%s ' \"it's\"; id -un\n"));
            // A sudo that wants a password is a named error, not an exit status to puzzle over.
            onA.write("/usr/local/bin/sudo", "#!/bin/sh\necho 'sudo: a password is required' >&2; exit 1\n".getBytes(StandardCharsets.UTF_8),
                    "0755", "root", "root");
            assertThatThrownBy(() -> asUser.run("true", T)).isInstanceOf(TransportException.class)
                    .hasMessageContaining(a + ": sudo as pgit asks for a password");
        } finally {
            onA.run("rm -f /usr/local/bin/sudo /tmp/sudo.log; userdel -r pgit 2>/dev/null; true", T);
        }
    }

    private static String sandboxKnownHostsLine(String host) {
        try {
            List<String> lines = Files.readAllLines(sandbox.knownHosts());
            return lines.stream().filter(l -> l.startsWith(host + " ")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
