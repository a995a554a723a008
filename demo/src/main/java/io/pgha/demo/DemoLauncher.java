package io.pgha.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How to start another pgha JVM like this one: the same java, the daemon's memory flags, this jar or classpath. */
final class DemoLauncher {
    private DemoLauncher() {
    }

    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(DaemonJvm.FLAGS);
        Path self = codeSource();
        String built = System.getProperty("pgha.jar", "");
        if (!built.isEmpty() && Files.isRegularFile(Path.of(built))) {
            // Tests name the shaded executable: the jar their own classes come from may be the
            // unshaded build artifact, which cannot run on its own.
            cmd.addAll(List.of("-jar", built));
        } else if (self.toString().endsWith(".jar")) {
            cmd.addAll(List.of("-jar", self.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pgha.cli.Pgha"));
        }
        return cmd;
    }

    private static Path codeSource() {
        try {
            return Path.of(DemoLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
