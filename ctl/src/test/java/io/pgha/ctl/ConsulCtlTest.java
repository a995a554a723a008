package io.pgha.ctl;

import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.consul.ConsulDcs;
import io.pgha.dcs.consul.ConsulSettings;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.pgha.testing.consul.ConsulDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI reading a cluster kept in Consul ({@link ConsulDouble}, a test double of the agent), through {@code --dcs consul://}. */
class ConsulCtlTest {
    static ConsulDouble consul;
    static ConsulDcs dcs;
    static MemberSession primary;
    static MemberSession replica;

    @BeforeAll
    static void cluster() {
        consul = ConsulDouble.start();
        dcs = new ConsulDcs(new KeyLayout("/service", "onconsul"), ConsulSettings.plain(consul.hostPort(), Optional.empty(), Duration.ofSeconds(5)));
        dcs.write(ClusterKey.INITIALIZE, "7268616322854375442", Expect.absent());
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":10}", Expect.anything());
        primary = publish("c1", "primary");
        assertThat(primary.acquireLeader()).isTrue();
        replica = publish("c2", "replica");
    }

    static MemberSession publish(String name, String role) {
        MemberSession s = dcs.openSession(name, 30);
        s.publish(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:1/patroni", "running", role, "0.1.0",
                Optional.of(100L), Optional.of(1L), role.equals("replica") ? Optional.of("streaming") : Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), false, false, Map.of()));
        return s;
    }

    @AfterAll
    static void stop() {
        if (primary != null) {
            primary.close();
            replica.close();
        }
        if (dcs != null) {
            dcs.close();
        }
        if (consul != null) {
            consul.close();
        }
    }

    @Test
    void listShowsTheClusterFromConsul() {
        CtlRun r = CtlRun.pgha("list", "--dcs", "consul://" + consul.hostPort(), "--scope", "onconsul");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("c1").contains("c2").contains("Leader").contains("streaming");
    }

    @Test
    void aConsulUrlWithoutAPortIsAUsageError() {
        CtlRun r = CtlRun.pgha("list", "--dcs", "consul://somewhere", "--scope", "onconsul");
        assertThat(r.exit()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("\"somewhere\" is not host:port");
    }
}
