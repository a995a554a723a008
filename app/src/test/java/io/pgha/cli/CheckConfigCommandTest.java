package io.pgha.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run check(String yaml) throws IOException {
        Path file = dir.resolve("pgha.yml");
        Files.writeString(file, yaml);
        byte[] before = Files.readAllBytes(file);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Pgha.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute("check-config", "-c", file.toString());
        assertThat(Files.readAllBytes(file)).as("the checked file is never rewritten").isEqualTo(before);
        return new Run(exit, out.toString(), err.toString());
    }

    private static final String GOOD = """
            scope: demo
            name: node1
            restapi:
              connect_address: 127.0.0.1:8008
            etcd3:
              hosts: 127.0.0.1:2379,127.0.0.1:2380
            bootstrap:
              dcs:
                rto: fast
            postgresql:
              connect_address: 127.0.0.1:5432
              data_dir: /var/lib/pgha/node1
              authentication:
                superuser: {username: postgres, password: s3cret-super}
                replication: {username: replicator, password: s3cret-repl}
            """;

    @Test
    void aGoodFileResolvesItsPresetAndNeverPrintsPasswords() throws IOException {
        Run run = check(GOOD);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("OK", "keys under /service/demo/", "rto fast", "ttl 3s", "loop_wait 1s");
        assertThat(run.out()).doesNotContain("s3cret-super", "s3cret-repl");
    }

    @Test
    void everyProblemIsNamedByPathAndTheExitIsNonZero() throws IOException {
        Run run = check(GOOD.replace("data_dir: /var/lib/pgha/node1", "data_dri: /var/lib/pgha/node1")
                .replace("rto: fast", "rto: fast\n    ttl: 20\n    loop_wait: 10\n    retry_timeout: 10"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(
                "postgresql.data_dir: required",
                "postgresql.data_dri: unknown key (did you mean data_dir?)",
                "bootstrap.dcs.ttl: must be ≥ loop_wait + 2*retry_timeout (10 + 2*10 > 20)");
    }

    @Test
    void aMissingFileIsOneClearProblem() {
        StringWriter err = new StringWriter();
        var cmd = Pgha.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute("check-config", "-c", dir.resolve("absent.yml").toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("absent.yml");
    }

    @Test
    void helpIsUsageEvenThoughConfigIsRequired() {
        for (String help : new String[]{"--help", "-h"}) {
            CliRun run = CliRun.pgha("check-config", help);
            assertThat(run.exit()).as(help + ": " + run.err()).isZero();
            assertThat(run.out()).as(help).contains("Usage: pgha check-config", "-c, --config", "-h, --help");
            assertThat(run.err()).as(help).doesNotContain("--config");
        }
    }
}
