package io.pgha.cli;

import io.pgha.config.PghaConfig;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReplaceRefusalsTest {
    private static final PghaConfig CONFIG = PghaConfig.parse("""
            scope: pg-test
            namespace: /pg
            name: pg-test-1
            restapi: {connect_address: 10.0.0.11:8008}
            etcd3: {host: 127.0.0.1:2379}
            postgresql:
              connect_address: 10.0.0.11:5432
              data_dir: /var/lib/postgresql/15/main
              authentication:
                superuser: {password: su-secret}
                replication: {password: repl-secret}
            """, Map.of());
    private static final KeyLayout KEYS = KeyLayout.of(CONFIG);
    private static final Cluster STOPPED = Cluster.fromEntries(KEYS, List.of(new RawEntry(KEYS.prefix() + "initialize", "7716", 2, 0)), 10);

    @Test
    void aMistypedScopeIsRefusedNamingBoth() {
        assertThat(ReplaceRefusals.check("pg-tset", CONFIG, STOPPED, Optional.empty()))
                .hasValueSatisfying(r -> assertThat(r).contains("--replace pg-tset does not match the scope pg-test", "nothing changed"));
    }

    @Test
    void registeredMembersAreRefusedByName() {
        Cluster running = Cluster.fromEntries(KEYS, List.of(new RawEntry(KEYS.member("a"), "{\"state\":\"running\"}", 3, 1),
                new RawEntry(KEYS.member("b"), "{\"state\":\"running\"}", 4, 1)), 10);
        assertThat(ReplaceRefusals.check("pg-test", CONFIG, running, Optional.empty()))
                .hasValue("pgha still runs on members a, b of scope pg-test: stop it on every node first; nothing changed");
    }

    @Test
    void aLivePostmasterIsRefused() {
        assertThat(ReplaceRefusals.check("pg-test", CONFIG, STOPPED, Optional.of(4242L)))
                .hasValueSatisfying(r -> assertThat(r).contains("a postmaster (pid 4242) runs on /var/lib/postgresql/15/main"));
    }

    @Test
    void aStoppedClusterOfTheTypedScopeMayBeReplaced() {
        assertThat(ReplaceRefusals.check("pg-test", CONFIG, STOPPED, Optional.empty())).isEmpty();
    }
}
