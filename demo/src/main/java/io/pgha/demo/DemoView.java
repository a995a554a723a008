package io.pgha.demo;

import io.pgha.ctl.Table;
import io.pgha.launch.EtcdCluster;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The demo cluster as two tables (rendered by the CLI's {@link Table}, header line first): etcd
 * members, then pgha nodes with role, state, replication and timeline.
 */
record DemoView(List<String> etcdRows, List<String> nodeRows, boolean etcdHealthy, int primaries, int streaming,
                Optional<LocalNode> primary, List<LocalNode> nodes, String etcdEndpoints) {

    boolean healthy() {
        return etcdHealthy && primaries == 1 && streaming == nodes.size() - 1;
    }

    static DemoView awaitHealthy(DemoState state, Path dir, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        DemoView view = of(state, dir, http);
        while (!view.healthy() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            view = of(state, dir, http);
        }
        return view;
    }

    static DemoView of(DemoState state, Path dir, HttpClient http) {
        Table etcdTable = new Table("ETCD", "ENDPOINT", "PID", "HEALTH");
        boolean etcdOk = true;
        List<String> endpoints = state.etcdEndpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            long pid = i < state.etcdPids().size() ? state.etcdPids().get(i) : -1;
            boolean running = pid > 0 && DemoProcesses.isRunning(pid, "etcd");
            boolean ok = running && EtcdCluster.isHealthy(http, endpoints.get(i));
            etcdOk &= ok;
            etcdTable.row("etcd" + i, endpoints.get(i), running ? pid : "-", ok ? "healthy" : running ? "UNHEALTHY" : "DOWN");
        }
        List<LocalNode> nodes = state.nodes(dir);
        Table nodeTable = new Table("MEMBER", "POSTGRES", "ROLE", "STATE", "REPLICATION", "TL", "REST");
        int primaries = 0;
        int streaming = 0;
        Optional<LocalNode> primary = Optional.empty();
        for (LocalNode n : nodes) {
            boolean isPrimary = n.restStatus(http, "GET", "/primary") == 200;
            Optional<JsonObject> st = DemoCommand.patroni(n, http);
            String role = st.map(j -> j.getString("role", "?")).orElse("-");
            String pgState = st.map(j -> j.getString("state", "?")).orElse("DOWN");
            String repl = st.map(j -> j.getString("replication_state", "")).orElse("");
            long tl = st.map(j -> j.getLong("timeline", 0L)).orElse(0L);
            if (isPrimary) {
                primaries++;
                primary = Optional.of(n);
            } else if ("streaming".equals(repl)) {
                streaming++;
            }
            nodeTable.row(n.name(), "127.0.0.1:" + n.pgPort(), isPrimary ? "Leader" : role.equals("replica") ? "Replica" : role,
                    pgState, repl, tl == 0 ? null : tl, n.restUrl());
        }
        return new DemoView(etcdTable.lines(), nodeTable.lines(), etcdOk, primaries, streaming, primary, nodes, String.join(",", endpoints));
    }

    void print(PrintStream out) {
        out.println();
        etcdRows.forEach(out::println);
        out.println();
        nodeRows.forEach(out::println);
        out.println();
        primary.ifPresent(p -> out.println("primary:  psql 'postgres://postgres:" + LocalNode.SUPERUSER_PASSWORD + "@127.0.0.1:" + p.pgPort() + "/postgres'"));
        nodes.stream().filter(n -> primary.map(p -> p != n).orElse(true)).findFirst().ifPresent(r ->
                out.println("replica:  psql 'postgres://postgres:" + LocalNode.SUPERUSER_PASSWORD + "@127.0.0.1:" + r.pgPort() + "/postgres'"));
        out.println("any node: psql 'postgres://postgres:" + LocalNode.SUPERUSER_PASSWORD + "@" + String.join(",",
                nodes.stream().map(n -> "127.0.0.1:" + n.pgPort()).toList()) + "/postgres?target_session_attrs=read-write'");
        out.println("etcd:     ETCDCTL_API=3 etcdctl --endpoints=" + etcdEndpoints + " get --prefix /service/" + DemoState.SCOPE + "/");
        out.println(healthy() ? "cluster is healthy" : "cluster is NOT healthy");
    }
}
