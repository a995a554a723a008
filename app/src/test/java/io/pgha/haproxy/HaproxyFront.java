package io.pgha.haproxy;

import io.pgha.daemon.LocalCluster;
import io.pgha.demo.DaemonJvm;
import io.pgha.demo.LocalNode;
import io.pgha.haproxy.testing.HaproxyProcess;
import io.pgha.haproxy.testing.Rig;
import io.pgha.launch.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of a {@link LocalCluster}, the two ways the end-to-end tests and the benchmark
 * need it: rendered by {@code pgha haproxy render} and steered by a {@code pgha haproxy run} process
 * (both the shaded jar, as deployed), or a hand-written config in Pigsty's template shape with
 * health checks only. Everything it starts is stopped by PID in {@link #close()}.
 */
final class HaproxyFront implements AutoCloseable {
    final Rig rig;
    final HaproxyProcess haproxy;
    final ChildProcess bridge;
    final Path bridgeConfig;

    private HaproxyFront(Rig rig, HaproxyProcess haproxy, ChildProcess bridge, Path bridgeConfig) {
        this.rig = rig;
        this.haproxy = haproxy;
        this.bridge = bridge;
        this.bridgeConfig = bridgeConfig;
    }

    int primaryPort() {
        return rig.primaryPort;
    }

    /**
     * Renders haproxy.cfg with {@code pgha haproxy render} for {@code on}'s pgha.yml plus a haproxy
     * section on free ports, starts HAProxy on it, and, if asked, the bridge.
     */
    static HaproxyFront bridged(LocalCluster cluster, LocalNode on, String checkTiming, boolean withBridge) {
        Rig rig = new Rig(checkTiming);
        List<AutoCloseable> started = new ArrayList<>();
        started.add(rig);
        try {
            Path yml = rig.dir.resolve("pgha-" + on.name() + ".yml");
            String section = rig.yaml(checkTiming).lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
            Files.writeString(yml, Files.readString(on.config()) + "\nhaproxy:\n" + section + "\n");
            Files.writeString(rig.settings.stateFile(), "1\n");
            run(rig.dir.resolve("render.log"), "haproxy", "render", "-c", yml.toString());
            HaproxyProcess h = HaproxyProcess.start(rig.settings.configFile(), rig.settings.masterSocket(), rig.settings.runtimeSocket(),
                    rig.dir.resolve("haproxy.log"));
            started.add(h);
            ChildProcess bridge = null;
            if (withBridge) {
                List<String> cmd = new ArrayList<>(LocalCluster.java());
                cmd.addAll(List.of("haproxy", "run", "-c", yml.toString()));
                bridge = ChildProcess.start("pgha-haproxy", cmd, rig.dir.resolve("bridge.log"), DaemonJvm.ENVIRONMENT);
            }
            return new HaproxyFront(rig, h, bridge, yml);
        } catch (IOException e) {
            closeAll(started);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeAll(started);
            throw e;
        }
    }

    /** Pigsty's haproxy.cfg shape for this cluster, health checks only: servers from the "inventory", the bootstrap primary as replica backup. */
    static HaproxyFront pigsty(LocalCluster cluster, LocalNode inventoryPrimary, String defaultServer) {
        Rig rig = new Rig("{inter: 1, fastinter: 1, downinter: 1, rise: 1, fall: 1}"); // only its ports and paths are used
        try {
            StringBuilder cfg = new StringBuilder("""
                    global
                        maxconn 4000
                        stats socket %s mode 600 level admin
                    defaults
                        mode tcp
                        retries 3
                        timeout queue 3s
                        timeout connect 3s
                        timeout check 3s
                        timeout client 24h
                        timeout server 24h
                    """.formatted(rig.settings.runtimeSocket()));
            service(cfg, cluster, cluster.scope + "-primary", rig.primaryPort, "/primary", defaultServer, null);
            service(cfg, cluster, cluster.scope + "-replica", rig.replicaPort, "/read-only", defaultServer, inventoryPrimary);
            Files.writeString(rig.settings.configFile(), cfg.toString());
            HaproxyProcess h = HaproxyProcess.start(rig.settings.configFile(), rig.settings.masterSocket(), rig.settings.runtimeSocket(),
                    rig.dir.resolve("haproxy.log"));
            return new HaproxyFront(rig, h, null, null);
        } catch (IOException e) {
            rig.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    private static void service(StringBuilder cfg, LocalCluster cluster, String name, int port, String check, String defaultServer, LocalNode backup) {
        cfg.append("listen ").append(name).append('\n')
                .append("    bind 127.0.0.1:").append(port).append('\n')
                .append("    mode tcp\n    maxconn 3000\n    balance roundrobin\n    option httpchk\n    option http-keep-alive\n")
                .append("    http-check send meth OPTIONS uri ").append(check).append('\n')
                .append("    http-check expect status 200\n")
                .append("    default-server ").append(defaultServer)
                .append(" on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100\n");
        for (LocalNode n : cluster.nodes) {
            cfg.append("    server ").append(n.name()).append(" 127.0.0.1:").append(n.pgPort()).append(" check port ").append(n.restPort())
                    .append(" weight 100").append(n == backup ? " backup" : "").append('\n');
        }
    }

    /** One {@code pgha} CLI run from the shaded jar; fails with its output unless it exits 0. */
    static String run(Path log, String... args) {
        List<String> cmd = new ArrayList<>(LocalCluster.java());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("pgha " + String.join(" ", args) + " did not finish in 60 s");
            }
            String out = Files.readString(log);
            if (p.exitValue() != 0) {
                throw new AssertionError("pgha " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String bridgeLog() {
        return bridge == null ? "(no bridge)" : bridge.tail(40);
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(List.of(rig, haproxy));
        if (bridge != null) {
            all.add(() -> bridge.stop(Duration.ofSeconds(10)));
        }
        closeAll(all);
    }

    /** In reverse order of start: the bridge, HAProxy, then the directory. */
    private static void closeAll(List<AutoCloseable> all) {
        for (int i = all.size() - 1; i >= 0; i--) {
            AutoCloseable c = all.get(i);
            try {
                c.close();
            } catch (Exception | Error e) { // one failing close must not leave the others' processes running
                System.err.println("closing " + c + ": " + e);
            }
        }
    }
}
