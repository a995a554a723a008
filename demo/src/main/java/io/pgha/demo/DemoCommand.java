package io.pgha.demo;

import io.pgha.ctl.UsageError;
import io.pgha.launch.Dirs;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import io.vertx.core.json.JsonObject;
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
 * A local cluster on loopback for trying pgha out: `up` brings up 3 etcd members and 3 pgha nodes
 * with PostgreSQL and shows them healthy, `status` shows them, `down` stops everything `up`
 * started, by PID. Re-running `up` is safe: it starts only what is down, on the same ports.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a local pgha cluster on loopback (etcd ×3, pgha + PostgreSQL ×3).",
        subcommands = {DemoCommand.Up.class, DemoCommand.Status.class, DemoCommand.Down.class})
public final class DemoCommand {
    static final int ETCD_MEMBERS = 3;
    static final int NODES = 3;
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);

    static Path defaultDir() {
        return Path.of(System.getenv().getOrDefault("PGHA_DEMO_DIR", "/tmp/pgha-demo"));
    }

    abstract static class DirOption {
        @Option(names = "--dir", description = "Work directory (default: $PGHA_DEMO_DIR or /tmp/pgha-demo).")
        Path dir = defaultDir();

        final PrintStream out = System.out;
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the local cluster (or the parts of it that are down) and show it healthy.")
    static final class Up extends DirOption implements Callable<Integer> {
        @Option(names = "--walkthrough", description = "Also walk through the DCS contract (leases, CAS, watch) on a scratch scope.")
        boolean walkthrough;

        @Option(names = "--rto", description = "Timing preset of the demo cluster: fast, norm or safe (default: ${DEFAULT-VALUE}).")
        String rto = "fast";

        @Override
        public Integer call() throws Exception {
            if (!List.of("fast", "norm", "safe").contains(rto)) {
                throw new UsageError("--rto must be fast, norm or safe, got " + rto);
            }
            new WorkDirAccess(LocalNode.postgresUser()).check(dir);
            Files.createDirectories(dir);
            Optional<DemoState> existing = DemoState.load(dir);
            DemoState state = existing.orElseGet(() -> new DemoState(freshPorts(2 * ETCD_MEMBERS), List.of(), freshPorts(2 * NODES), List.of()));
            if (existing.isPresent() && allRunning(existing.get().etcdPids(), "etcd")) {
                out.println("etcd is already running in " + dir);
            } else {
                stopAll(state.etcdPids(), "etcd", out);
                out.printf("starting %d etcd members in %s …%n", ETCD_MEMBERS, dir.resolve("etcd"));
                Files.createDirectories(dir.resolve("etcd"));
                EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), state.etcdPorts());
                state = state.withEtcd(etcd.detach());
                state.save(dir);
            }
            if (walkthrough) {
                out.println("DCS walkthrough (scope dcs-walkthrough):");
                new DcsWalkthrough(state.etcdEndpoints(), out).run();
            }
            state = startNodes(state);
            state.save(dir);
            out.printf("waiting for one primary and %d streaming replicas (up to %d s) …%n", NODES - 1, HEALTHY_WITHIN.toSeconds());
            DemoView view = DemoView.awaitHealthy(state, dir, HEALTHY_WITHIN);
            view.print(out);
            return view.healthy() ? 0 : 1;
        }

        private DemoState startNodes(DemoState state) {
            List<LocalNode> nodes = state.nodes(dir);
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                LocalNode n = nodes.get(i);
                long pid = i < state.nodePids().size() ? state.nodePids().get(i) : -1;
                if (pid > 0 && DemoProcesses.isRunning(pid, "java")) {
                    out.println(n.name() + " is already running (pid " + pid + ")");
                    pids.add(pid);
                    continue;
                }
                if (!Files.exists(n.config())) {
                    n.prepare(state.etcdHosts(), rto, "", "");
                }
                long started = n.start(DemoLauncher.javaCommand()).detach().pid();
                out.printf("started %s: PostgreSQL 127.0.0.1:%d, REST %s, log %s (pid %d)%n", n.name(), n.pgPort(), n.restUrl(), n.daemonLog(), started);
                pids.add(started);
            }
            return state.withNodes(state.nodePorts(), pids);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show what the local cluster runs and whether it is healthy.")
    static final class Status extends DirOption implements Callable<Integer> {
        @Override
        public Integer call() {
            DemoState state = DemoState.load(dir)
                    .orElseThrow(() -> new UsageError("no demo in " + dir + " (run `pgha demo up` first)"));
            DemoView view = DemoView.of(state, dir, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
            view.print(out);
            return view.healthy() ? 0 : 1;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process `up` started; data stays unless --purge.")
    static final class Down extends DirOption implements Callable<Integer> {
        @Option(names = "--purge", description = "Also delete the work directory and all data in it.")
        boolean purge;

        @Override
        public Integer call() throws IOException {
            Optional<DemoState> state = DemoState.load(dir);
            if (state.isEmpty()) {
                // An `up` that failed before it could record anything still leaves directories behind.
                if (purge && looksLikeDemo(dir)) {
                    Dirs.deleteRecursively(dir);
                    out.println("nothing was running; deleted " + dir);
                } else {
                    out.println("nothing to stop: no demo in " + dir);
                }
                return 0;
            }
            // Daemons first: each stops its PostgreSQL and hands its leader key over on SIGTERM.
            stopAll(state.get().nodePids(), "java", out);
            for (LocalNode n : state.get().nodes(dir)) {
                n.postmasterPid().ifPresent(pid -> {
                    n.killPostgres();
                    out.println("killed leftover PostgreSQL pid " + pid + " of " + n.name());
                });
            }
            stopAll(state.get().etcdPids(), "etcd", out);
            if (purge) {
                Dirs.deleteRecursively(dir);
                out.println("deleted " + dir);
            } else {
                // The ports stay with the data: etcd's members know each other by their peer URLs and
                // every pgha.yml names the client ports, so the next `up` must start on the same ones.
                state.get().stopped().save(dir);
                out.println("data kept in " + dir + " (`pgha demo up` starts it again; --purge deletes it)");
            }
            return 0;
        }
    }

    private static boolean looksLikeDemo(Path dir) {
        return Files.isDirectory(dir.resolve("etcd")) || Files.isDirectory(dir.resolve("pg-1"));
    }

    private static List<Integer> freshPorts(int n) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(Ports.free());
        }
        return ports;
    }

    private static boolean allRunning(List<Long> pids, String program) {
        return !pids.isEmpty() && pids.stream().allMatch(pid -> DemoProcesses.isRunning(pid, program));
    }

    private static void stopAll(List<Long> pids, String program, PrintStream out) {
        for (long pid : pids) {
            if (DemoProcesses.stop(pid, program, Duration.ofSeconds(40))) {
                out.println("stopped " + (program.equals("java") ? "pgha" : program) + " pid " + pid);
            }
        }
    }

    static Optional<JsonObject> patroni(LocalNode n, HttpClient http) {
        return n.restBody(http, "/patroni").flatMap(body -> {
            try {
                return Optional.of(new JsonObject(body));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
