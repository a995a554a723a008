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

/** The scripts SshTransport sends, run here by a local shell. */
class FileScriptsTest {
    private final LocalTransport sh = new LocalTransport();

    @Test
    void writeThenReadAPathWithSpacesAndQuotes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("it's a dir/file \"x\".conf");
        String owner = Files.getOwner(dir).getName();
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        String script = FileScripts.write(file.toString(), "0604", owner, group);
        Transport.Exec w = sh.run(script, Optional.of("content\n".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10));
        assertThat(w.exit()).as(w.stderr()).isZero();
        assertThat(Files.readString(file)).isEqualTo("content\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw----r--");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file);
        }
        Transport.Exec r = sh.run(FileScripts.read(file.toString()), Duration.ofSeconds(10));
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("content\n");
        assertThat(sh.run(FileScripts.read(dir.resolve("nothing").toString()), Duration.ofSeconds(10)).exit()).isEqualTo(FileScripts.MISSING);
    }
}
