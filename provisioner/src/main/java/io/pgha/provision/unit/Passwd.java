package io.pgha.provision.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The home directory of a user, from /etc/passwd (systemd sets HOME for User= units). */
final class Passwd {
    private Passwd() {
    }

    static Optional<String> home(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 6 && f[0].equals(user)) {
                    return Optional.of(f[5]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
