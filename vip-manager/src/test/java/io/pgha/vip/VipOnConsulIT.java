package io.pgha.vip;

import io.pgha.launch.ChildProcess;
import io.pgha.testing.Cleanup;
import io.pgha.testing.consul.ConsulDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgha vip} with {@code dcs-type: consul}, as Pigsty's Consul clusters configure
 * vip-manager: two node namespaces and a client on one bridge, the {@link ConsulDouble} (a
 * <b>test double</b> of the Consul agent, as no Consul binary is available) on the bridge address,
 * and the leader key written into it as Patroni or pgha would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VipOnConsulIT {
    private static final String KEY = "service/pgconsul/leader";

    private VipLab lab;
    private ConsulDouble consul;
    private String vip;
    private ChildProcess n1;
    private ChildProcess n2;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        lab = VipLab.start("n1", "n2", "cl");
        consul = ConsulDouble.startOn(lab.net.bridgeIpv4(), Optional.of("vip-token"), 1.0);
        vip = lab.net.ipv4(110);
        lab.startNameServer("n1");
        lab.startNameServer("n2");
        Map<String, Object> onConsul = Map.of("dcs-type", "consul", "dcs-endpoints", "http://" + consul.hostPort(),
                "consul-token", "vip-token");
        n1 = lab.startKeeper("vipc-n1", "n1", lab.writeConfig("c-n1.yml", "n1", vip, KEY, onConsul));
        n2 = lab.startKeeper("vipc-n2", "n2", lab.writeConfig("c-n2.yml", "n2", vip, KEY, onConsul));
    }

    @AfterAll
    void stop() {
        Cleanup.all("vip on consul", List.of(() -> {
            if (lab != null) {
                lab.close();
            }
        }, () -> {
            if (consul != null) {
                consul.close();
            }
        }));
    }

    private void kv(String method, String value) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + consul.hostPort() + "/v1/kv/" + KEY))
                .header("X-Consul-Token", "vip-token")
                .method(method, value == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(value))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void theVipFollowsTheLeaderKeyInConsulAndGoesWhenTheKeyDoes() throws Exception {
        kv("PUT", "n1");
        lab.awaitBound("n1", vip, n1);
        lab.awaitUnbound("n2", vip, n2);
        assertThat(lab.whoAnswers("cl", vip)).isEqualTo("n1");

        kv("PUT", "n2");
        lab.awaitBound("n2", vip, n2);
        lab.awaitUnbound("n1", vip, n1);
        assertThat(lab.whoAnswers("cl", vip)).isEqualTo("n2");

        kv("DELETE", null);
        lab.awaitUnbound("n2", vip, n2);
        VipLab.awaitWithLog("n2 says why", n2, () -> n2.tail(500).contains("no leader key"));
    }
}
