package io.pgha.daemon;

import io.pgha.config.ConfigException;
import io.pgha.config.ConsulConfig;
import io.pgha.config.PghaConfig;
import io.pgha.config.RtoPreset;
import io.pgha.config.Timing;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.vip.VipConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonVipTest {
    private static final String BASE = """
            scope: pg-test
            name: pg-test-1
            restapi: {listen: 127.0.0.1:8008, connect_address: 127.0.0.1:8008}
            etcd3: {hosts: [10.10.10.10:2379, 10.10.10.11:2379]}
            postgresql:
              listen: 127.0.0.1:5432
              connect_address: 127.0.0.1:5432
              data_dir: /pg/data
              authentication:
                superuser: {username: postgres, password: a}
                replication: {username: replicator, password: b}
                rewind: {username: rewind, password: c}
            """;

    private static Timing timing() {
        return new Timing(RtoPreset.FAST.ttl(), RtoPreset.FAST.loopWait(), RtoPreset.FAST.retryTimeout(),
                RtoPreset.FAST.safetyMargin(), RtoPreset.FAST.primaryStartTimeout());
    }

    @Test
    void aSectionWithAddressAndInterfaceIsCompletedFromTheDaemonsOwnSettings() {
        PghaConfig c = PghaConfig.parse(BASE + "vip: {ip: 10.10.10.99, netmask: 24, interface: eth1}\n", Map.of());
        VipConfig v = DaemonVip.config(c, timing()).orElseThrow();
        assertThat(v.layout().leader()).isEqualTo(KeyLayout.of(c).leader());
        assertThat(v.triggerValue()).isEqualTo("pg-test-1");
        assertThat(v.interfaceName()).isEqualTo("eth1");
        assertThat(v.etcd().endpoints()).extracting(Object::toString).containsExactly("http://10.10.10.10:2379", "http://10.10.10.11:2379");
    }

    @Test
    void onConsulTheVipWatchesTheLocalAgentWithTheDaemonsToken() {
        PghaConfig c = PghaConfig.parse(BASE.replace("etcd3: {hosts: [10.10.10.10:2379, 10.10.10.11:2379]}",
                "consul: {host: 127.0.0.1:8500, token: tok}\nbootstrap: {dcs: {ttl: 10}}")
                + "vip: {ip: 10.10.10.99, netmask: 24, interface: eth1}\n", Map.of());
        ConsulConfig consul = (ConsulConfig) DaemonVip.config(c, timing()).orElseThrow().dcs();
        assertThat(consul.agentUri()).hasToString("http://127.0.0.1:8500");
        assertThat(consul.token()).contains("tok");
    }

    @Test
    void noSectionNoVip() {
        assertThat(DaemonVip.config(PghaConfig.parse(BASE, Map.of()), timing())).isEqualTo(Optional.empty());
    }

    @Test
    void aBadSectionIsRefusedNamingTheKey() {
        PghaConfig c = PghaConfig.parse(BASE + "vip: {ip: 10.10.10.999, netmask: 24, interface: eth1, colour: red}\n", Map.of());
        assertThatThrownBy(() -> DaemonVip.config(c, timing())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("vip.ip").hasMessageContaining("vip.colour");
    }
}
