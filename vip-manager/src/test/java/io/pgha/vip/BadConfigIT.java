package io.pgha.vip;

import io.pgha.launch.Dirs;
import io.pgha.testing.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgha vip} as an operator runs it, with a wrong file or host: one message naming what is
 * wrong, exit code 1, and nothing started. Runs in the root namespace; nothing here can bind.
 */
class BadConfigIT {
    private static final String GOOD = """
            ip: 192.0.2.77
            netmask: 24
            interface: %s
            trigger-key: /service/badconfig/leader
            trigger-value: n1
            dcs-endpoints: http://127.0.0.1:9
            """;

    private Path dir;

    @AfterEach
    void cleanUp() {
        Dirs.deleteRecursively(dir);
    }

    private Command.Result run(String yaml) throws IOException {
        dir = dir == null ? Files.createTempDirectory("pgha-vip-bad-") : dir;
        Path file = dir.resolve("vip.yml");
        Files.writeString(file, yaml);
        List<String> command = new ArrayList<>(List.of(VipLab.javaBinary()));
        command.addAll(VipLab.JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pgha.vip.cli.VipMain", "-c", file.toString()));
        return Command.run(command, Duration.ofSeconds(30));
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() throws IOException {
        Command.Result r = run(GOOD.formatted("eth0") + "trigger-vaule: n2\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("is invalid:").contains("trigger-vaule: unknown key (did you mean trigger-value?)");
    }

    @Test
    void badCidrAndUnsupportedDcsAreReportedTogether() throws IOException {
        Command.Result r = run(GOOD.formatted("eth0").replace("netmask: 24", "netmask: 40") + "dcs-type: patroni\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("netmask: bad CIDR: prefix length must be 1..32 for 192.0.2.77, got 40")
                .contains("dcs-type: patroni is not supported yet by pgha vip");
    }

    @Test
    void missingInterfaceIsAClearErrorAtStart() throws IOException {
        Command.Result r = run(GOOD.formatted("nosuch0"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("pgha vip: not starting: interface nosuch0 does not exist");
    }

    @Test
    void loopbackIsRefused() throws IOException {
        Command.Result r = run(GOOD.formatted("lo"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("pgha vip: not starting: interface lo is a loopback interface");
    }

    @Test
    void missingFileIsNamed() {
        List<String> command = new ArrayList<>(List.of(VipLab.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "io.pgha.vip.cli.VipMain", "-c", "/nonexistent/vip.yml"));
        Command.Result r = Command.run(command, Duration.ofSeconds(30));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("(file): cannot read /nonexistent/vip.yml: no such file");
    }
}
