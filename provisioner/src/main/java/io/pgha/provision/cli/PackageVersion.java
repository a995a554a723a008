package io.pgha.provision.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The version a package file installs, as the host's package manager will report it afterwards. */
final class PackageVersion {
    private PackageVersion() {
    }

    static String of(Path file) {
        String name = file.getFileName().toString();
        List<String> cmd = name.endsWith(".deb") ? List.of("dpkg-deb", "-f", file.toString(), "Version")
                : name.endsWith(".rpm") ? List.of("rpm", "-qp", "--qf", "%{VERSION}-%{RELEASE}", file.toString())
                : List.of();
        if (cmd.isEmpty()) {
            throw new Session.Failure("--package " + file + ": not a .deb or .rpm");
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new Session.Failure("--package " + file + ": " + String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new Session.Failure("--package " + file + ": " + cmd.get(0) + " not runnable here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Session.Failure("interrupted");
        }
    }
}
