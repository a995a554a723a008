package io.pgha.dcs;

import io.pgha.config.PghaConfig;
import io.pgha.dcs.consul.ConsulDcs;
import io.pgha.dcs.consul.ConsulSettings;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.KeyLayout;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the config module's sections become on the DCS side: the key layout, the etcd settings, the backend. */
class OpenFromConfigTest {

    private static final String NODE = """
            scope: pg-test
            namespace: /pg
            name: pg-test-1
            restapi: {connect_address: 10.0.0.11:8008}
            %s
            postgresql:
              connect_address: 10.0.0.11:5432
              data_dir: /var/lib/postgresql/15/main
              authentication:
                superuser: {password: su-secret}
                replication: {password: repl-secret}
            """;

    @Test
    void keyLayoutFollowsScopeAndNamespace() {
        PghaConfig config = PghaConfig.parse(NODE.formatted("etcd3: {host: 127.0.0.1:2379}"), Map.of());
        KeyLayout keys = KeyLayout.of(config);
        assertThat(keys.prefix()).isEqualTo("/pg/pg-test/");
        assertThat(keys.leader()).isEqualTo("/pg/pg-test/leader");
        assertThat(keys.member("pg-test-1")).isEqualTo("/pg/pg-test/members/pg-test-1");
    }

    @Test
    void etcdSettingsCarryCredentialsAndTheResolvedRetryTimeout() {
        PghaConfig config = PghaConfig.parse(NODE.formatted(
                "etcd3: {hosts: '127.0.0.1:2379,127.0.0.2:2379', username: pg, password: etcd-secret}"), Map.of());
        EtcdSettings settings = EtcdSettings.of(config.etcd3().orElseThrow(), Duration.ofSeconds(4));
        assertThat(settings.endpoints()).hasSize(2);
        assertThat(settings.username()).contains("pg");
        assertThat(settings.password()).contains("etcd-secret");
        assertThat(settings.retryTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theConsulSectionOpensTheConsulBackendWithPatronisKeys() {
        PghaConfig config = PghaConfig.parse(NODE.formatted(
                "consul: {url: 'https://10.0.0.5:8501', token: t, dc: dc2, consistency: stale, verify: false}\nbootstrap: {dcs: {ttl: 10}}"), Map.of());
        ConsulSettings settings = ConsulSettings.of(config.consul().orElseThrow(), Duration.ofSeconds(4));
        assertThat(settings.agent()).isEqualTo(URI.create("https://10.0.0.5:8501"));
        assertThat(settings.token()).contains("t");
        assertThat(settings.dc()).contains("dc2");
        assertThat(settings.consistency()).isEqualTo("stale");
        assertThat(settings.verify()).isFalse();
        try (Dcs dcs = Dcs.open(config, Duration.ofSeconds(4))) {
            assertThat(dcs).isInstanceOf(ConsulDcs.class);
            assertThat(dcs.layout().prefix()).isEqualTo("/pg/pg-test/");
        }
    }
}
