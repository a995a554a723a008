package io.pgha.provision.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * How the provisioner reaches one host: run a command, read a file, write a file. Over SSH for a
 * remote host ({@link SshTransport}), directly for this machine ({@link LocalTransport}). Every
 * call acts as root on the host (through sudo when the login user is not root).
 */
public interface Transport extends AutoCloseable {
    /** The host as the inventory names it (its address). */
    String host();

    /** Runs a shell command line (sh -c) as root; stdin, when given, is fed to it and closed. */
    Exec run(String command, Optional<byte[]> stdin, Duration timeout);

    default Exec run(String command, Duration timeout) {
        return run(command, Optional.empty(), timeout);
    }

    /** The file's bytes, or empty when it does not exist. */
    Optional<byte[]> read(String path);

    /**
     * Replaces the file atomically (a temporary file in the same directory, then rename), creating
     * missing parent directories; mode in octal ("0640"), owner and group by name.
     */
    void write(String path, byte[] content, String mode, String owner, String group);

    @Override
    void close();

    /** A command's outcome; stderr kept apart so that errors can be named. */
    record Exec(int exit, String stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }
    }
}
