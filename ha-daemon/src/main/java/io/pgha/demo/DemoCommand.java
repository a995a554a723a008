package io.pgha.demo;

import io.pgha.cli.Pgha;
import io.pgha.testing.EtcdCluster;
import io.pgha.testing.Ports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A local cluster on loopback for trying pgha out: `up` brings it up and shows it healthy, `status`
 * shows it, `down` stops everything `up` started. Re-running `up` is safe.
 */
@Command(name = "demo", description = "Run a local pgha cluster on loopback (etcd ×3).",
        subcommands = {DemoCommand.Up.class, DemoCommand.Status.class, DemoCommand.Down.class})
public final class DemoCommand {
    static final int ETCD_MEMBERS = 3;

    static Path defaultDir() {
        return Path.of(System.getenv().getOrDefault("PGHA_DEMO_DIR", "/tmp/pgha-demo"));
    }

    abstract static class DirOption {
        @Option(names = "--dir", description = "Work directory (default: $PGHA_DEMO_DIR or /tmp/pgha-demo).")
        Path dir = defaultDir();

        final PrintStream out = System.out;
    }

    @Command(name = "up", description = "Start the local cluster (or the parts of it that are down) and show it healthy.")
    static final class Up extends DirOption implements Callable<Integer> {
        @Option(names = "--no-walkthrough", description = "Skip the DCS walkthrough.")
        boolean noWalkthrough;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(dir);
            Optional<DemoState> existing = DemoState.load(dir);
            DemoState state;
            if (existing.isPresent() && allEtcdRunning(existing.get())) {
                out.println("etcd is already running in " + dir);
                state = existing.get();
            } else {
                existing.ifPresent(s -> stopEtcd(s, out));
                List<Integer> ports = existing.map(DemoState::etcdPorts).orElseGet(DemoCommand::freshPorts);
                out.printf("starting %d etcd members in %s …%n", ETCD_MEMBERS, dir.resolve("etcd"));
                Files.createDirectories(dir.resolve("etcd"));
                EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), ports);
                state = new DemoState(ports, etcd.detach());
                state.save(dir);
            }
            if (!noWalkthrough) {
                out.println("DCS walkthrough (scope dcs-walkthrough):");
                new DcsWalkthrough(state.etcdEndpoints(), out).run();
            }
            return printStatus(state, out) ? 0 : 1;
        }
    }

    @Command(name = "status", description = "Show what the local cluster runs and whether it is healthy.")
    static final class Status extends DirOption implements Callable<Integer> {
        @Override
        public Integer call() {
            DemoState state = DemoState.load(dir)
                    .orElseThrow(() -> new Pgha.UsageError("no demo in " + dir + " (run `pgha demo up` first)"));
            return printStatus(state, out) ? 0 : 1;
        }
    }

    @Command(name = "down", description = "Stop every process `up` started; data stays unless --purge.")
    static final class Down extends DirOption implements Callable<Integer> {
        @Option(names = "--purge", description = "Also delete the work directory and all data in it.")
        boolean purge;

        @Override
        public Integer call() throws IOException {
            Optional<DemoState> state = DemoState.load(dir);
            if (state.isEmpty()) {
                out.println("nothing to stop: no demo in " + dir);
                return 0;
            }
            stopEtcd(state.get(), out);
            Files.delete(dir.resolve(DemoState.FILE));
            if (purge) {
                io.pgha.testing.Dirs.deleteRecursively(dir);
                out.println("deleted " + dir);
            } else {
                out.println("data kept in " + dir + " (use --purge to delete it)");
            }
            return 0;
        }
    }

    private static List<Integer> freshPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2 * ETCD_MEMBERS; i++) {
            ports.add(Ports.free());
        }
        return ports;
    }

    private static boolean allEtcdRunning(DemoState state) {
        return !state.etcdPids().isEmpty() && state.etcdPids().stream().allMatch(pid -> DemoProcesses.isRunning(pid, "etcd"));
    }

    private static void stopEtcd(DemoState state, PrintStream out) {
        for (long pid : state.etcdPids()) {
            if (DemoProcesses.stop(pid, "etcd", Duration.ofSeconds(10))) {
                out.println("stopped etcd pid " + pid);
            }
        }
    }

    private static boolean printStatus(DemoState state, PrintStream out) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        boolean healthy = true;
        out.println();
        out.printf("%-8s %-24s %-8s %-8s%n", "MEMBER", "ENDPOINT", "PID", "HEALTH");
        List<String> endpoints = state.etcdEndpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            long pid = i < state.etcdPids().size() ? state.etcdPids().get(i) : -1;
            boolean running = pid > 0 && DemoProcesses.isRunning(pid, "etcd");
            boolean ok = running && EtcdCluster.isHealthy(http, endpoints.get(i));
            healthy &= ok;
            out.printf("%-8s %-24s %-8s %-8s%n", "etcd" + i, endpoints.get(i), running ? pid : "-", ok ? "healthy" : running ? "UNHEALTHY" : "DOWN");
        }
        out.println();
        out.println("etcd endpoints: " + String.join(",", endpoints));
        out.println("look inside:    ETCDCTL_API=3 etcdctl --endpoints=" + String.join(",", endpoints) + " get --prefix /service/");
        out.println(healthy ? "cluster is healthy" : "cluster is NOT healthy");
        return healthy;
    }
}
