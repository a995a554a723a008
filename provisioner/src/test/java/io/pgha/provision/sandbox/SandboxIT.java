package io.pgha.provision.sandbox;

import io.pgha.provision.transport.SshTransport;
import io.pgha.provision.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox's own life cycle: up, what a host is, down from another caller, leaving nothing behind. */
class SandboxIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static SandboxSpec sharedSpec;
    private static Sandbox shared;

    @BeforeAll
    static void upShared() {
        sharedSpec = TestSandboxes.fresh(1);
        shared = Sandbox.up(sharedSpec);
    }

    @AfterAll
    static void downShared() {
        TestSandboxes.downQuietly(sharedSpec);
    }

    @Test
    void upThenDownFromAFreshCallLeavesNothingBehind() throws Exception {
        SandboxSpec spec = TestSandboxes.fresh(4);
        List<Long> pids = new ArrayList<>();
        long sleeper;
        try {
            long start = System.nanoTime();
            Sandbox sandbox = Sandbox.up(spec);
            System.out.printf("sandbox up of %d hosts took %d ms%n", spec.hostAddresses().size(), (System.nanoTime() - start) / 1_000_000);
            assertThat(sandbox.hosts()).hasSize(4);
            for (SandboxHost h : sandbox.hosts()) {
                assertThat(Sandbox.namespaceExists(h.namespace())).isTrue();
                assertThat(ProcessHandle.of(h.sshdPid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
                pids.add(h.sshdPid());
            }
            assertThat(Sandbox.linkExists(Sandbox.bridgeName(spec.name()))).isTrue();
            assertThat(sandbox.healthy()).isTrue();

            // A process started over SSH, detached from the session, as a daemon would be.
            String host = spec.hostAddresses().get(0);
            try (SshTransport ssh = SshTransport.connect(sandbox.target(host), T)) {
                Transport.Exec e = ssh.run("setsid nohup sleep 1000 >/dev/null 2>&1 < /dev/null & echo $!", T);
                assertThat(e.exit()).as(e.stderr()).isZero();
                sleeper = Long.parseLong(e.stdout().trim());
            }
            assertThat(Sandbox.namespacePids(sandbox.host(host).namespace())).contains(sleeper);
            assertThat(ProcessHandle.of(sleeper).flatMap(p -> p.info().command())).hasValueSatisfying(c -> assertThat(c).endsWith("sleep"));
        } finally {
            // As another process would: by name and dir only.
            List<String> removed = Sandbox.down(spec.name(), spec.stateDir());
            assertThat(removed).anyMatch(l -> l.startsWith("killed")).anyMatch(l -> l.startsWith("deleted bridge"));
        }
        assertThat(dead(sleeper)).as("sleep started over ssh").isTrue();
        for (long pid : pids) {
            assertThat(dead(pid)).as("sshd " + pid).isTrue();
        }
        assertThat(Sandbox.namespacesOf(spec.name())).isEmpty();
        assertThat(run("ip", "netns", "list")).doesNotContain(spec.name() + "-");
        assertThat(run("ip", "-o", "link", "show")).doesNotContainPattern(Pattern.compile("\\d+: " + spec.name() + "-"));
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(spec.stateDir().toString()).doesNotContain(spec.name() + "-");
        assertThat(spec.stateDir()).doesNotExist();
        List<String> again = Sandbox.down(spec.name(), spec.stateDir());
        assertThat(again).as("down on nothing").isEmpty();
        assertThat(Sandbox.describe(spec.name(), spec.stateDir(), again)).isEqualTo("sandbox " + spec.name()
                + ": nothing to remove (no state in " + spec.stateDir() + ", no namespace or link of that name)");
    }

    @Test
    void aHostWhoseSshdDoesNotStartFailsUpNamingItAndNothingIsLeft() throws Exception {
        SandboxSpec spec = TestSandboxes.fresh(2);
        String saved = Bootstrap.sshd;
        Bootstrap.sshd = "/bin/false";
        try {
            assertThatThrownBy(() -> Sandbox.up(spec)).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("sandbox host " + spec.hostAddresses().get(0)).hasMessageContaining("exited (status 1)");
        } finally {
            Bootstrap.sshd = saved;
            TestSandboxes.downQuietly(spec);
        }
        assertThat(Sandbox.namespacesOf(spec.name())).isEmpty();
        assertThat(run("ip", "-o", "link", "show")).doesNotContainPattern(Pattern.compile("\\d+: " + spec.name() + "-"));
        assertThat(spec.stateDir()).doesNotExist();
    }

    @Test
    void aSecondUpOfTheSameNameIsRefusedWhileTheFirstExists() {
        SandboxSpec again = new SandboxSpec(sharedSpec.name(), List.of("10.223.7.11"), 24, sharedSpec.stateDir());
        assertThatThrownBy(() -> Sandbox.up(again)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("sandbox " + sharedSpec.name() + " already exists").hasMessageContaining("--sandbox down");
        assertThat(shared.healthy()).as("the first is untouched").isTrue();
    }

    @Test
    void aSubnetInUseIsRefusedBeforeAnythingIsMade() {
        SandboxSpec clash = new SandboxSpec("sbclash", List.of(shared.hosts().get(0).address().replaceAll("\\d+$", "77")), 24, null);
        assertThatThrownBy(() -> Sandbox.up(clash)).isInstanceOf(SandboxException.class).hasMessageContaining("already in use");
        assertThat(clash.stateDir()).doesNotExist();
        assertThat(Sandbox.linkExists("sbclash-br")).isFalse();
    }

    @Test
    void aHostIsACopyOnWriteViewOfThisMachineWithFreshRunAndTmp() throws Exception {
        SandboxHost h = shared.hosts().get(0);
        try (SshTransport ssh = SshTransport.connect(shared.target(h.address()), T)) {
            assertThat(ssh.run("test -e /run/systemd/system || echo no-systemd", T).stdout()).isEqualTo("no-systemd\n");
            assertThat(ssh.run("ls -A /tmp | wc -l", T).stdout().trim()).isEqualTo("0");
            assertThat(ssh.run("hostname", T).stdout().trim()).isEqualTo(h.namespace());
            assertThat(ssh.run("awk '$2 == \"/\" {print $3}' /proc/self/mounts", T).stdout().trim()).isEqualTo("overlay");
            assertThat(ssh.run("ip -o -4 addr show dev eth1", T).stdout()).contains(h.address() + "/24");
            assertThat(ssh.run("ls -A " + shared.stateDir() + " | wc -l", T).stdout().trim()).as("the state dir is hidden").isEqualTo("0");
            // The machine's files are there; a change stays in the host.
            assertThat(ssh.run("cat /etc/os-release", T).stdout()).isEqualTo(Files.readString(Path.of("/etc/os-release")));
            assertThat(ssh.run("echo changed >> /etc/debian_version", T).exit()).isZero();
            assertThat(ssh.run("cat /etc/debian_version", T).stdout()).endsWith("changed\n");
            assertThat(Files.readString(Path.of("/etc/debian_version"))).doesNotContain("changed");
            assertThat(h.upper().resolve("etc/debian_version")).content().endsWith("changed\n");
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /**
     * Gone, or a zombie: a process started over SSH and detached is reparented to this machine's
     * PID 1, which reaps it in its own time; a zombie has exited and holds nothing.
     */
    static boolean dead(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
