package io.pgha.provision.unit;

import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandInUnitsTest {

    @Test
    void debiansEtcdUnitExpandsItsArgumentsFromTheEnvironmentFile() {
        String unit = """
                [Unit]
                Description=etcd
                [Service]
                Environment=DAEMON_ARGS=
                Environment=ETCD_NAME=%H
                EnvironmentFile=-/etc/default/%p
                User=etcd
                ExecStart=/usr/bin/etcd $DAEMON_ARGS
                [Install]
                WantedBy=multi-user.target
                """;
        UnitFile u = UnitFile.parse("etcd.service", unit, "meta");
        assertThat(u.environment()).containsEntry("ETCD_NAME", "meta").containsEntry("DAEMON_ARGS", "");
        assertThat(u.environmentFiles()).containsExactly(new UnitFile.EnvironmentFileRef("/etc/default/etcd", true));
        assertThat(u.user()).contains("etcd");
        assertThat(ExecLine.argv(u.execStart(), u.environment())).containsExactly("/usr/bin/etcd");
        assertThat(ExecLine.argv(u.execStart(), Map.of("DAEMON_ARGS", "--a 1  --b"))).containsExactly("/usr/bin/etcd", "--a", "1", "--b");
        assertThat(ExecLine.argv("/bin/x \"${A} b\" -c", Map.of("A", "1 2"))).containsExactly("/bin/x", "1 2 b", "-c");
    }

    @Test
    void environmentFilesAndLinesAreReadAsSystemdReadsThem() {
        assertThat(EnvironmentFile.parse("# c\nA=1\n  B = \"two words\"\nexport C='x'\nnot a line\n"))
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", "x"));
        assertThat(EnvironmentFile.assignments("\"A=b c\" D=e")).containsExactly(Map.entry("A", "b c"), Map.entry("D", "e"));
        assertThatThrownBy(() -> EnvironmentFile.Words.split("a \"b")).hasMessageContaining("unbalanced quote");
    }

    @Test
    void aUnitWithoutExecStartOrWithABadTimeoutIsNamed() {
        assertThatThrownBy(() -> UnitFile.parse("x.service", "[Service]\nUser=a\n", "h"))
                .hasMessage("x.service: no ExecStart= in [Service]");
        assertThatThrownBy(() -> UnitFile.parse("x.service", "[Service]\nExecStart=/bin/true\nTimeoutStopSec=soon\n", "h"))
                .hasMessageContaining("TimeoutStopSec=soon is not seconds");
        assertThat(UnitFile.parse("x.service", "[Service]\nExecStart=-/bin/true\nTimeoutStopSec=2min\n", "h").timeoutStop())
                .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> UnitFile.parse("x.service", "[Service]\nExecStart=/bin/%q\n", "h"))
                .hasMessageContaining("%q is not supported");
    }

    /** A real process: started as the unit's user with its environment, found running, stopped by SIGTERM. */
    @Test
    void startRunsExecStartAsTheUnitsUserAndStopEndsIt(@TempDir Path dir) throws IOException {
        Path units = Files.createDirectories(dir.resolve("units"));
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("env"), "GREETING=hello from the file\n");
        Files.writeString(units.resolve("probe.service"), """
                [Service]
                User=postgres
                EnvironmentFile=%s
                EnvironmentFile=-/nonexistent/%%p
                AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW
                ExecStart=/bin/sh -c 'id -un > %s/user; grep CapAmb /proc/self/status > %s/caps; echo "$GREETING" > %s/greeting; exec sleep 600'
                TimeoutStopSec=5
                """.formatted(dir.resolve("env"), out, out, out));
        StandInUnits s = new StandInUnits(List.of(units), dir.resolve("run"), dir.resolve("log"), "h", false);
        StandInUnits.UnitState started = s.start("probe");
        try {
            assertThat(started.active()).isTrue();
            Await.until("the unit wrote its greeting", Duration.ofSeconds(10),
                    () -> Files.exists(out.resolve("greeting")) && readOr(out.resolve("greeting")).endsWith("\n"));
            assertThat(readOr(out.resolve("user")).strip()).isEqualTo("postgres");
            assertThat(readOr(out.resolve("greeting")).strip()).isEqualTo("hello from the file");
            // CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13: 0x3000.
            assertThat(readOr(out.resolve("caps"))).contains("0000000000003000");
            assertThat(s.start("probe.service").pid()).as("a second start keeps the running process").isEqualTo(started.pid());
            assertThat(s.status("probe").active()).isTrue();
        } finally {
            StandInUnits.UnitState stopped = s.stop("probe");
            assertThat(stopped.active()).isFalse();
        }
        assertThat(ProcessHandle.of(started.pid().get()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        s.enable("probe");
        assertThat(s.status("probe").enabled()).isTrue();
        assertThatThrownBy(() -> s.start("missing")).hasMessageContaining("unit missing.service not found");
    }

    private static String readOr(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
