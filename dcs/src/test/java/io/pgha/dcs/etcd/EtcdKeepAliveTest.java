package io.pgha.dcs.etcd;

import io.pgha.dcs.LeaseGoneException;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.Renewal;
import io.pgha.dcs.RenewedRead;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A renewal costs etcd one keepalive, counted by etcd itself, and still renews and still notices a lease gone. */
class EtcdKeepAliveTest {
    private static final String RECEIVED = "(?m)^grpc_server_msg_received_total\\{grpc_method=\"%s\"[^}]*} (\\S+)$";
    private static EtcdCluster etcd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void eachRenewalSendsOneKeepaliveAndExtendsTheLease() throws Exception {
        try (EtcdTestClients clients = new EtcdTestClients(etcd)) {
            MemberSession session = clients.client(Duration.ofSeconds(3)).openSession("m1", 8);
            double before = keepalivesReceived();
            long previousDeadline = session.lease().deadlineNanos();
            for (int i = 0; i < 10; i++) {
                Renewal renewal = session.renew(() -> {
                    throw new AssertionError("a live lease was reported gone");
                });
                assertThat(renewal).isInstanceOf(Renewal.Renewed.class);
                assertThat(session.lease().deadlineNanos()).isGreaterThan(previousDeadline);
                assertThat(session.lease().ttl()).isEqualTo(Duration.ofSeconds(8));
                previousDeadline = session.lease().deadlineNanos();
            }
            assertThat(keepalivesReceived() - before).isEqualTo(10.0);
        }
    }

    @Test
    void aRevokedLeaseIsFoundGoneByTheNextRenewal() throws Exception {
        try (EtcdTestClients clients = new EtcdTestClients(etcd)) {
            EtcdDcs dcs = clients.client(Duration.ofSeconds(3));
            MemberSession session = dcs.openSession("m2", 8);
            long id = session.lease().id();
            dcs.endpoints().call("revoke behind the session's back", c -> c.getLeaseClient().revoke(id));
            AtomicInteger gone = new AtomicInteger();
            Renewal renewal = session.renew(gone::incrementAndGet);
            assertThat(renewal).isInstanceOf(Renewal.Expired.class);
            assertThat(gone).hasValue(1);
            assertThat(session.lease().id()).isNotEqualTo(id);
        } catch (LeaseGoneException e) {
            throw new AssertionError("a renewal of a revoked lease must grant a new one, not throw", e);
        }
    }

    @Test
    void renewThenReadIsOneKeepaliveAndOneReadThatSeesTheCluster() throws Exception {
        try (EtcdTestClients clients = new EtcdTestClients(etcd)) {
            EtcdDcs dcs = clients.client(Duration.ofSeconds(3));
            MemberSession session = dcs.openSession("m3", 8);
            session.publish(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running", "replica",
                    "test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Map.of(), false, false, Map.of()));
            double keepalives = received("LeaseKeepAlive");
            double ranges = received("Range");
            long previousDeadline = session.lease().deadlineNanos();
            RenewedRead both = session.renewThenRead(() -> {
                throw new AssertionError("a live lease was reported gone");
            }, dcs);
            assertThat(both.renewal()).isInstanceOf(Renewal.Renewed.class);
            assertThat(both.renewal().lease().deadlineNanos()).isGreaterThan(previousDeadline);
            assertThat(both.cluster().member("m3")).isPresent();
            assertThat(received("LeaseKeepAlive") - keepalives).isEqualTo(1.0);
            assertThat(received("Range") - ranges).isEqualTo(1.0);
        }
    }

    private double keepalivesReceived() throws IOException, InterruptedException {
        return received("LeaseKeepAlive");
    }

    private double received(String method) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(etcd.clientUrl(0) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile(String.format(RECEIVED, method)).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
