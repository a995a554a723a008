package io.pgha.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A daemon with a bad config exits 1 naming every problem, before touching the DCS or PostgreSQL; --help needs no config. */
class DaemonCommandTest {
    @TempDir
    Path dir;

    @Test
    void badConfigIsRefusedWithEveryProblemAndNothingIsCreated() throws Exception {
        Path cfg = dir.resolve("pgha.yml");
        Path data = dir.resolve("data");
        Files.writeString(cfg, """
                scope: demo
                name: n1
                restapi: {listen: 127.0.0.1:8008, connect_address: 127.0.0.1:8008}
                etcd3: {hosts: 127.0.0.1:2379}
                bootstrap:
                  dcs: {ttl: 5, loop_wait: 2, retry_timeout: 3}
                postgresql:
                  listen: 127.0.0.1:5432
                  connect_address: 127.0.0.1:5432
                  data_dir: %s
                  authentication:
                    superuser: {username: postgres, password: x}
                    replication: {username: replicator, password: y}
                """.formatted(data));
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Pgha.commandLine().execute("daemon", "-c", cfg.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is invalid").contains("ttl");
        assertThat(data).doesNotExist();
    }

    @Test
    void helpIsUsageEvenThoughConfigIsRequired() {
        for (String help : new String[]{"--help", "-h"}) {
            CliRun run = CliRun.pgha("daemon", help);
            assertThat(run.exit()).as(help + ": " + run.err()).isZero();
            assertThat(run.out()).as(help).contains("Usage: pgha daemon", "-c, --config", "-h, --help");
            assertThat(run.err()).as(help).doesNotContain("--config");
        }
    }
}
