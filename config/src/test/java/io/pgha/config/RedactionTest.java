package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {
    private static final List<String> SECRETS = List.of("Patroni.API-secret", "etcd-secret", "DBUser.DBA-secret",
            "DBUser.Replicator-secret", "DBUser.Rewind-secret", "haproxy-secret");

    @Test
    void toStringOfTheWholeConfigShowsNoPassword() {
        PghaConfig c = PghaConfig.load(Fixture.path("full.yml"), Map.of());
        String shown = c.toString();
        for (String secret : SECRETS) {
            assertThat(shown).doesNotContain(secret);
            // Sanity check that the secret really is in the config, so this test can fail.
            assertThat(c.haproxy().toString() + c.restapi().authentication().orElseThrow().password()
                    + c.etcd3().orElseThrow().credentials().orElseThrow().password()
                    + c.postgresql().authentication().superuser().password()
                    + c.postgresql().authentication().replication().password()
                    + c.postgresql().authentication().rewind().orElseThrow().password()).contains(secret);
        }
        assertThat(shown).contains("username=dbuser_dba", "password=***", "pg-meta-1");
        assertThat(c.redacted()).isEqualTo(shown);
    }

    @Test
    void credentialsAndTokens() {
        assertThat(new Credentials("u", "hunter2").toString()).isEqualTo("Credentials[username=u, password=***]");
        ConsulConfig consul = new ConsulConfig(ConsulConfig.DEFAULT_HOST, "http", Optional.of("tok-123"), false);
        assertThat(consul.toString()).doesNotContain("tok-123").contains("token=Optional[***]");
    }

    @Test
    void connectionStringsAndSecretKeysInFreeFormMaps() {
        DynamicConfig c = DynamicConfig.fromJson("{\"some_tool\":{\"primary_conninfo\":\"host=a password='p w' user=b\"},"
                + "\"postgresql\":{\"parameters\":{\"primary_conninfo\":\"host=x password=pg-pass\"},\"api_token\":\"t0k\"}}");
        String shown = c.toString();
        assertThat(shown).doesNotContain("p w", "pg-pass", "t0k").contains("password=***", "host=a");
    }
}
