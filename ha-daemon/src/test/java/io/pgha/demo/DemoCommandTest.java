package io.pgha.demo;

import io.pgha.cli.Pgha;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main job, run the way a user runs it. */
class DemoCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run pgha(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var cmd = Pgha.commandLine();
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @AfterEach
    void stopWhateverTheDemoLeftRunning() {
        DemoState.load(dir).ifPresent(state -> state.etcdPids().forEach(pid ->
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
    }

    @Test
    void upBringsUpAHealthyClusterAgainAndAgainAndDownStopsEveryProcessItStarted() {
        Run up = pgha("demo", "up", "--dir", dir.toString());
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).contains("leader race:", "expired", "acquired the leader key", "cluster is healthy");
        List<Long> pids = DemoState.load(dir).orElseThrow().etcdPids();
        assertThat(pids).hasSize(3).allMatch(pid -> DemoProcesses.isRunning(pid, "etcd"));

        Run again = pgha("demo", "up", "--dir", dir.toString(), "--no-walkthrough");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already running", "cluster is healthy");
        assertThat(DemoState.load(dir).orElseThrow().etcdPids()).isEqualTo(pids);

        Run status = pgha("demo", "status", "--dir", dir.toString());
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("etcd0", "etcd1", "etcd2", "healthy");

        Run down = pgha("demo", "down", "--dir", dir.toString());
        assertThat(down.exit()).isZero();
        assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(down.out()).contains("data kept in");
        assertThat(dir.resolve("etcd")).exists();
    }

    @Test
    void upRestartsMembersThatDiedOnTheSamePorts() {
        assertThat(pgha("demo", "up", "--dir", dir.toString(), "--no-walkthrough").exit()).isZero();
        DemoState before = DemoState.load(dir).orElseThrow();
        ProcessHandle victim = ProcessHandle.of(before.etcdPids().get(1)).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().join();

        Run status = pgha("demo", "status", "--dir", dir.toString());
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("DOWN", "cluster is NOT healthy");

        Run up = pgha("demo", "up", "--dir", dir.toString(), "--no-walkthrough");
        assertThat(up.exit()).as(up.out()).isZero();
        DemoState after = DemoState.load(dir).orElseThrow();
        assertThat(after.etcdPorts()).isEqualTo(before.etcdPorts());
        assertThat(pgha("demo", "down", "--dir", dir.toString(), "--purge").exit()).isZero();
        assertThat(dir).doesNotExist();
    }

    @Test
    void statusWithoutADemoIsAClearUsageError() {
        Run status = pgha("demo", "status", "--dir", dir.resolve("nothing-here").toString());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("no demo in").contains("pgha demo up");
        Run down = pgha("demo", "down", "--dir", dir.resolve("nothing-here").toString());
        assertThat(down.exit()).isZero();
        assertThat(down.out()).contains("nothing to stop");
    }

    @Test
    void unknownSubcommandsAndOptionsAreRejected() {
        assertThat(pgha("demo", "sideways").exit()).isEqualTo(2);
        assertThat(pgha("demo", "up", "--frobnicate").exit()).isEqualTo(2);
        assertThat(pgha().exit()).isEqualTo(2);
    }
}
