package io.pgha.migrate;

import io.pgha.config.PghaConfig;
import io.pgha.config.YamlSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** pgha migrate from-patroni over Patroni-style sample configs (test resources /patroni). */
class FromPatroniCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new FromPatroniCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/patroni/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/patroni/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void patronisSampleConvertsWithTheExpectedReportAndCheckConfigAcceptsIt() throws Exception {
        Path patroni = fixture("postgres0.yml");
        Path out = dir.resolve("pgha.yml");
        Run r = run("-c", patroni.toString(), "-o", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(resource("postgres0.report").replace("@DIR@", dir.toString())
                .replace("@IN@", patroni.toString()).replace("@OUT@", out.toString()));
        PghaConfig cfg = PghaConfig.load(out, Map.of()); // what check-config runs
        assertThat(cfg.scope()).isEqualTo("batman");
        assertThat(cfg.name()).isEqualTo("postgresql0");
        assertThat(cfg.etcd3().orElseThrow().hosts()).hasToString("[127.0.0.1:2379]");
        assertThat(cfg.postgresql().pgHba()).containsExactly("host replication replicator 127.0.0.1/32 md5", "host all all 0.0.0.0/0 md5");
        assertThat(cfg.postgresql().dataDir()).isEqualTo(dir.resolve("data/postgresql0"));
        assertThat(cfg.bootstrapTiming().ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cfg.bootstrapTiming().primaryStartTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(cfg.bootstrapDcs().postgresql().extra()).containsKey("pg_hba");
        assertThat(Files.readString(out)).doesNotContain("users:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void aProductionConfigDropsWhatPghaDoesNotImplementAndSaysWhatHappensInstead() throws Exception {
        Path patroni = fixture("production.yml");
        Path out = dir.resolve("pgha.yml");
        Run r = run("-c", patroni.toString(), "-o", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "  postgresql.remove_data_directory_on_diverged_timelines: pgha never deletes a diverged data directory on its own",
                "  bootstrap.method: pgha bootstraps a new cluster with initdb only",
                "  bootstrap.restore_from_s3: a custom bootstrap method's section",
                "  bootstrap.post_init: not run",
                "  postgresql.pre_promote: not run",
                "  log: pgha logs one line per event to stderr",
                "  ctl: pgha's operator commands read",
                "  restapi.request_queue_size: ",
                "  bootstrap.pg_hba: moved to postgresql.pg_hba",
                "  bootstrap.dcs.slots: written to the DCS config as it is",
                "  bootstrap.dcs.postgresql.recovery_conf: written to the DCS config as it is",
                "  postgresql.parameters.max_connections: Patroni ignores a local value of it");
        assertThat(r.out()).contains("carried over:\n", "  tags.datacenter\n", "  postgresql.authentication.replication.sslmode\n", "  watchdog.safety_margin\n",
                "  postgresql.callbacks.on_role_change: carried; the script gets the role primary where Patroni 3.0 passed master");
        assertThat(Files.readString(out)).contains("on_role_change: /usr/local/bin/role_change.sh");
        PghaConfig cfg = PghaConfig.load(out, Map.of());
        assertThat(cfg.postgresql().pgHba()).containsExactly("host all all 10.0.0.0/8 scram-sha-256");
        assertThat(cfg.bootstrapTiming().ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cfg.bootstrapDcs().extra()).containsKey("slots");
        assertThat(cfg.postgresql().parameters()).containsOnlyKeys("work_mem");
        assertThat(cfg.postgresql().authentication().replicationSsl().mode()).contains("require");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres0.yml", "production.yml"})
    void everyKeyOfTheInputIsCarriedOrNamedInANote(String name) throws Exception {
        Path patroni = fixture(name);
        Map<String, Object> input = TreePaths.cast(YamlSource.parse(Files.readString(patroni), name));
        Conversion c = PatroniConversion.convert(input, dir);

        List<String> noted = c.notes().stream().map(Note::path).toList();
        for (String leaf : TreePaths.leaves(input)) {
            String renamed = leaf.startsWith("etcd.") ? "etcd3" + leaf.substring(4) : leaf;
            boolean accounted = c.carried().contains(renamed)
                    || noted.stream().anyMatch(n -> leaf.equals(n) || leaf.startsWith(n + ".") || renamed.startsWith(n + "."));
            assertThat(accounted).as(leaf + " is neither carried nor noted").isTrue();
        }
    }

    @Test
    void withoutAnOutputFileTheYamlGoesToStdoutAndTheReportToStderr() throws Exception {
        Run r = run("-c", fixture("postgres0.yml").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("converted ").contains(" to stdout: ");
        assertThat(PghaConfig.parse(r.out(), Map.of()).scope()).isEqualTo("batman");
    }

    @Test
    void aMissingFileIsRefusedByName() {
        Path out = dir.resolve("pgha.yml");
        Run r = run("-c", dir.resolve("nope.yml").toString(), "-o", out.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("nothing written", "cannot read " + dir.resolve("nope.yml") + ": no such file");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFileThatIsNotYamlIsRefusedWithItsLine() throws Exception {
        Path out = dir.resolve("pgha.yml");
        Run r = run("-c", fixture("not-yaml.yml").toString(), "-o", out.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("YAML syntax error", "line 3");
        assertThat(out).doesNotExist();
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedByPathAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("pgha.yml");
        Run r = run("-c", fixture("wrong-types.yml").toString(), "-o", out.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("2 problem(s), nothing written",
                "  bootstrap.dcs.ttl: expected a number of seconds, got \"thirty\"",
                "  postgresql.use_pg_rewind: expected true or false, got \"yes please\"");
        assertThat(out).doesNotExist();
    }

    @Test
    void aTopLevelListIsRefused() throws Exception {
        Path patroni = dir.resolve("list.yml");
        Files.writeString(patroni, "- scope: batman\n");
        Run r = run("-c", patroni.toString(), "-o", dir.resolve("pgha.yml").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("(file): expected a mapping at the top level, got a list");
    }

    @Test
    void anExistingOutputFileIsReplacedOnlyWithForce() throws Exception {
        Path patroni = fixture("postgres0.yml");
        Path out = dir.resolve("pgha.yml");
        Files.writeString(out, "mine\n");

        Run refused = run("-c", patroni.toString(), "-o", out.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains(out + ": exists; not overwritten (use --force)");
        assertThat(Files.readString(out)).isEqualTo("mine\n");

        Run forced = run("-c", patroni.toString(), "-o", out.toString(), "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(PghaConfig.load(out, Map.of()).name()).isEqualTo("postgresql0");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("postgres0.yml", "pgha.yml");
    }
}
