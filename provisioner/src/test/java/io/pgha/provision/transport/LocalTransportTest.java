package io.pgha.provision.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalTransportTest {
    private final LocalTransport local = new LocalTransport();

    @Test
    void runPassesExitCodesOutputAndStdin() {
        Transport.Exec e = local.run("cat; echo err >&2; exit 4", Optional.of("in".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10));
        assertThat(e.exit()).isEqualTo(4);
        assertThat(e.stdout()).isEqualTo("in");
        assertThat(e.stderr()).isEqualTo("err\n");
    }

    @Test
    void aCommandPastItsTimeoutIsANamedError() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> local.run("sleep 30", Duration.ofMillis(300)))
                .isInstanceOf(TransportException.class).hasMessageContaining("localhost").hasMessageContaining("sleep 30")
                .hasMessageContaining("did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void writeCreatesParentsSetsModeAndReplacesAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/c.conf");
        String owner = Files.getOwner(dir).getName();
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        local.write(file.toString(), "one".getBytes(StandardCharsets.UTF_8), "0640", owner, group);
        local.write(file.toString(), "two".getBytes(StandardCharsets.UTF_8), "0600", owner, group);
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file); // no temporary file left behind
        }
        assertThat(local.read(file.toString())).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("two"));
        assertThat(local.read(dir.resolve("missing").toString())).isEmpty();
    }

    @Test
    void badModesAndRelativePathsAreRefused() {
        assertThatThrownBy(() -> local.write("/tmp/x", new byte[0], "rw", "root", "root")).hasMessageContaining("octal");
        assertThatThrownBy(() -> local.read("relative")).hasMessageContaining("absolute");
    }
}
