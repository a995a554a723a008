package io.pgha.demo;

import io.pgha.cli.CliRun;
import io.pgha.postgres.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static io.pgha.cli.CliRun.pgha;
import static org.assertj.core.api.Assertions.assertThat;

/** The README's main job, run the way a user runs it: up, up again, status, a dead node restarted, down. */
class DemoIT {
    @TempDir
    Path work;

    /** Below the temporary directory, so that `down --purge` may delete it all. */
    Path dir;

    @AfterEach
    void stopWhateverTheDemoLeftRunning() {
        DemoState.load(dir).ifPresent(state -> {
            state.nodePids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            state.nodes(dir).forEach(LocalNode::killPostgres);
            state.etcdPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        });
    }

    @org.junit.jupiter.api.BeforeEach
    void letPostgresTraverseTheWorkDirectory() throws Exception {
        // @TempDir is 0700 and root's; PostgreSQL runs as user postgres below it.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir = Files.createDirectory(work.resolve("demo"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void upBringsUpAHealthyHaClusterIdempotentlyAndDownStopsEveryProcessItStarted() {
        CliRun up = pgha("demo", "up", "--dir", dir.toString());
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).contains("etcd0", "etcd1", "etcd2", "pg-1", "pg-2", "pg-3", "Leader", "streaming", "cluster is healthy", "psql 'postgres://");
        DemoState first = DemoState.load(dir).orElseThrow();
        List<Long> pgPids = new ArrayList<>();
        first.nodes(dir).forEach(n -> n.postmasterPid().ifPresent(pgPids::add));
        assertThat(pgPids).hasSize(3);

        CliRun again = pgha("demo", "up", "--dir", dir.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already running").contains("cluster is healthy");
        assertThat(DemoState.load(dir).orElseThrow()).isEqualTo(first);

        // A node that died comes back on the same ports.
        ProcessHandle victim = ProcessHandle.of(first.nodePids().get(2)).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().join();
        CliRun restarted = pgha("demo", "up", "--dir", dir.toString());
        assertThat(restarted.exit()).as(restarted.out()).isZero();
        assertThat(restarted.out()).contains("started pg-3").contains("cluster is healthy");
        assertThat(DemoState.load(dir).orElseThrow().nodePorts()).isEqualTo(first.nodePorts());

        CliRun status = pgha("demo", "status", "--dir", dir.toString());
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("Leader", "cluster is healthy");

        DemoState last = DemoState.load(dir).orElseThrow();
        CliRun down = pgha("demo", "down", "--dir", dir.toString());
        assertThat(down.exit()).as(down.out()).isZero();
        List<Long> all = new ArrayList<>(last.nodePids());
        all.addAll(last.etcdPids());
        all.addAll(pgPids);
        assertThat(all).noneMatch(pid -> Processes.isRunning(pid));
        assertThat(down.out()).contains("data kept in");
        assertThat(dir.resolve("pg-1").resolve("data")).exists();

        // `up` after `down` resumes the kept data on the same ports: etcd's members find each other again.
        CliRun resumed = pgha("demo", "up", "--dir", dir.toString());
        assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("cluster is healthy");
        DemoState after = DemoState.load(dir).orElseThrow();
        assertThat(after.etcdPorts()).isEqualTo(first.etcdPorts());
        assertThat(after.nodePorts()).isEqualTo(first.nodePorts());

        CliRun purged = pgha("demo", "down", "--purge", "--dir", dir.toString());
        assertThat(purged.exit()).as(purged.out()).isZero();
        assertThat(after.nodePids()).noneMatch(pid -> Processes.isRunning(pid));
        assertThat(dir).doesNotExist();
    }
}
