package io.pgha.haproxy.testing;

import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.config.HaproxySettingsReader;
import io.pgha.launch.Dirs;
import io.pgha.launch.Ports;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Settings for an HAProxy of a test: the four services on free loopback ports, sockets, state and
 * config files in a scratch directory, and the given check timing.
 */
public final class Rig implements AutoCloseable {
    public final Path dir;
    public final int primaryPort = Ports.free();
    public final int replicaPort = Ports.free();
    public final int defaultPort = Ports.free();
    public final int offlinePort = Ports.free();
    public final int statsPort = Ports.free();
    public final HaproxySettings settings;

    public Rig(String checkTiming) {
        try {
            dir = Files.createTempDirectory("pgha-haproxy-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings = HaproxySettingsReader.read(new Yaml().load(yaml(checkTiming)), "pg-test");
    }

    /** The haproxy section a pgha.yml would carry for this rig; maxconn 4000 because 65535 needs more open files than a test JVM may raise. */
    public String yaml(String checkTiming) {
        return """
                config_file: %s/haproxy.cfg
                runtime_socket: %s/admin.sock
                master_socket: %s/master.sock
                state_file: %s/server-state
                bind: 127.0.0.1
                stats_listen: 127.0.0.1:%d
                maxconn: 4000
                check_timing: %s
                services:
                  - {name: primary, port: %d}
                  - {name: replica, port: %d}
                  - {name: default, port: %d}
                  - {name: offline, port: %d}
                """.formatted(dir, dir, dir, dir, statsPort, checkTiming, primaryPort, replicaPort, defaultPort, offlinePort);
    }

    public Map<String, Object> section(String checkTiming) {
        return new Yaml().load(yaml(checkTiming));
    }

    public HaproxyProcess startHaproxy(String config) {
        try {
            Files.writeString(settings.configFile(), config);
            if (!Files.exists(settings.stateFile())) {
                Files.writeString(settings.stateFile(), "1\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HaproxyProcess.start(settings.configFile(), settings.masterSocket(), settings.runtimeSocket(), dir.resolve("haproxy.log"));
    }

    @Override
    public void close() {
        Dirs.deleteRecursively(dir);
    }
}
