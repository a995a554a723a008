package io.pgha.provision.apply;

import io.pgha.provision.plan.Observed;
import io.pgha.provision.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a host holds, read through a real shell (the local transport runs the same script SSH would). */
class HostReaderTest {

    @Test
    void filesAndDirectoriesAreReadWithTheirModesOwnersAndExactBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("with space.yml");
        String content = "a: 1\n\nlast line without newline: é";
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        String owner = Files.getOwner(file).getName();
        try (LocalTransport t = new LocalTransport("local")) {
            Map<String, Optional<Observed.FileState>> files = HostReader.files(t, List.of(file.toString(), dir.resolve("missing").toString()));
            assertThat(files.get(file.toString())).hasValueSatisfying(s -> {
                assertThat(s.content()).isEqualTo(content);
                assertThat(s.mode()).isEqualTo("0640");
                assertThat(s.owner()).isEqualTo(owner);
            });
            assertThat(files.get(dir.resolve("missing").toString())).isEmpty();
            Map<String, Optional<Observed.FileState>> dirs = HostReader.directories(t, List.of(sub.toString(), file.toString()));
            assertThat(dirs.get(sub.toString())).hasValueSatisfying(s -> assertThat(s.mode()).isEqualTo("0750"));
            assertThat(dirs.get(file.toString())).as("a file is not a directory").isEmpty();
        }
    }
}
