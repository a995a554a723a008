package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvOverridesTest {

    @Test
    void environmentBeatsTheFile() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHA_NAME", "node9");
        env.put("PGHA_SCOPE", "other");
        env.put("PGHA_NAMESPACE", "/pg");
        env.put("PGHA_ETCD3_HOSTS", "10.0.0.1:2379, 10.0.0.2:2379");
        env.put("PGHA_ETCD3_USERNAME", "root");
        env.put("PGHA_ETCD3_PASSWORD", "etcd-env");
        env.put("PGHA_RESTAPI_USERNAME", "api");
        env.put("PGHA_RESTAPI_PASSWORD", "api-env");
        env.put("PGHA_SUPERUSER_USERNAME", "dba");
        env.put("PGHA_SUPERUSER_PASSWORD", "su-env");
        env.put("PGHA_REPLICATION_USERNAME", "repl");
        env.put("PGHA_REPLICATION_PASSWORD", "repl-env");
        env.put("PGHA_REWIND_USERNAME", "rw");
        env.put("PGHA_REWIND_PASSWORD", "rw-env");

        PghaConfig c = Fixture.minimal().parse(env);

        assertThat(c.name()).isEqualTo("node9");
        assertThat(c.scope()).isEqualTo("other");
        assertThat(c.namespace()).isEqualTo("/pg");
        Etcd3Config etcd = c.etcd3().orElseThrow();
        // The variable replaces the file's etcd3.host rather than clashing with it.
        assertThat(etcd.endpoints()).containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379"));
        assertThat(etcd.credentials()).contains(new Credentials("root", "etcd-env"));
        assertThat(c.restapi().authentication()).contains(new Credentials("api", "api-env"));
        PostgresqlAuthentication auth = c.postgresql().authentication();
        assertThat(auth.superuser()).isEqualTo(new Credentials("dba", "su-env"));
        assertThat(auth.replication()).isEqualTo(new Credentials("repl", "repl-env"));
        assertThat(auth.rewind()).contains(new Credentials("rw", "rw-env"));
    }

    @Test
    void passwordsOnlyInTheEnvironmentMakeTheFileValid() {
        Fixture withoutSecrets = Fixture.minimal()
                .remove("postgresql.authentication.superuser.password")
                .remove("postgresql.authentication.replication.password");
        assertThat(withoutSecrets.problems()).containsExactly(
                "postgresql.authentication.superuser.password: required (or set PGHA_SUPERUSER_PASSWORD)",
                "postgresql.authentication.replication.password: required (or set PGHA_REPLICATION_PASSWORD)");

        PghaConfig c = withoutSecrets.parse(Map.of("PGHA_SUPERUSER_PASSWORD", "s3cret", "PGHA_REPLICATION_PASSWORD", "r3pl"));
        assertThat(c.postgresql().authentication().superuser()).isEqualTo(new Credentials("postgres", "s3cret"));
        assertThat(c.postgresql().authentication().replication()).isEqualTo(new Credentials("replicator", "r3pl"));
    }

    @Test
    void sectionsMayComeFromTheEnvironmentAlone() {
        PghaConfig c = Fixture.minimal().remove("postgresql.authentication").remove("name")
                .parse(Map.of("PGHA_NAME", "n2", "PGHA_SUPERUSER_PASSWORD", "a", "PGHA_REPLICATION_PASSWORD", "b"));
        assertThat(c.name()).isEqualTo("n2");
        assertThat(c.postgresql().authentication().rewind()).isEmpty();
    }

    @Test
    void unknownAndEmptyVariablesAreIgnored() {
        PghaConfig c = Fixture.minimal().parse(Map.of("PGHA_FROBNICATE", "1", "PGHA_VIP_ADDRESS", "10.0.0.2/24",
                "PGHA_NAME", "", "PATH", "/usr/bin"));
        assertThat(c.name()).isEqualTo("node1");
        assertThat(c.vip()).isEmpty();
    }

    @Test
    void etcdCredentialsDoNotCreateAnEtcdSectionInAConsulSetup() {
        PghaConfig c = Fixture.minimal().remove("etcd3").set("consul.host", "127.0.0.1:8500").set("bootstrap.dcs.ttl", 10)
                .parse(Map.of("PGHA_ETCD3_USERNAME", "u", "PGHA_ETCD3_PASSWORD", "p"));
        assertThat(c.consul()).isPresent();
    }

    @Test
    void etcdHostsFromTheEnvironmentAloneAreEnough() {
        PghaConfig c = Fixture.minimal().remove("etcd3").parse(Map.of("PGHA_ETCD3_HOSTS", "e1:2379"));
        assertThat(c.etcd3().orElseThrow().hosts()).containsExactly(new HostPort("e1", 2379));
    }

    @Test
    void aBadValueFromTheEnvironmentSaysWhereItCameFrom() {
        assertThat(Fixture.minimal().problems(Map.of("PGHA_ETCD3_HOSTS", "127.0.0.1:2379,nohost", "PGHA_ETCD3_USERNAME", "u")))
                .containsExactly(
                        "etcd3.hosts[1]: expected host:port, got \"nohost\" (value from $PGHA_ETCD3_HOSTS)",
                        "etcd3.password: required together with username");
        assertThat(Fixture.minimal().problems(Map.of("PGHA_SCOPE", "a/b")))
                .containsExactly("scope: must not contain '/', got \"a/b\" (value from $PGHA_SCOPE)");
    }

    @Test
    void aNonMappingInTheWayIsReportedNotOverwritten() {
        assertThat(Fixture.minimal().set("postgresql.authentication", "none")
                .problems(Map.of("PGHA_SUPERUSER_PASSWORD", "a", "PGHA_REPLICATION_PASSWORD", "b")))
                .containsExactly("postgresql.authentication: expected a mapping, got \"none\"");
    }
}
