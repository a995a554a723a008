package io.pgha.dcs.etcd;

import io.pgha.dcs.Consistency;
import io.pgha.dcs.DcsRejectedException;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.launch.EtcdCluster;
import io.pgha.testing.Command;
import io.pgha.testing.TestCa;
import io.pgha.testing.TestCa.Issued;
import io.pgha.testing.TestCa.KeyFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real 3-member etcd with TLS for clients and peers, client-certificate authentication and RBAC
 * set up with etcdctl exactly as docs/security.md says: one user and role per cluster, limited to
 * {@code /service/<scope>/}. Each certificate mistake must be a DcsRejectedException naming it,
 * well within retry_timeout — never retried as an outage, never a hang.
 */
class EtcdTlsRbacTest {
    private static final Duration RETRY = Duration.ofSeconds(6);
    private static final Duration PROMPT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    private static TestCa ca;
    private static EtcdCluster etcd;
    private static Issued alpha;
    private final List<EtcdDcs> open = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        ca = TestCa.create(dir.resolve("ca"), "pgha-test");
        // 127.0.0.1 only, so that "localhost" is a hostname mismatch.
        Issued server = ca.issue("etcd", "IP:127.0.0.1", KeyFormat.PKCS8, 1);
        etcd = EtcdCluster.start(3, EtcdCluster.Options.defaults().withTls(new EtcdCluster.Tls(ca.caCert(), server.cert(), server.key(), true)));
        Issued root = ca.issue("root");
        alpha = ca.issue("pgha-alpha");
        for (String step : List.of("user add root --new-user-password=rootpw", "user grant-role root root",
                "role add pgha-alpha", "role grant-permission pgha-alpha --prefix=true readwrite /service/alpha/",
                "user add pgha-alpha --new-user-password=alphapw", "user grant-role pgha-alpha pgha-alpha",
                "role add pgha-beta", "role grant-permission pgha-beta --prefix=true readwrite /service/beta/",
                "user add pgha-beta --new-user-password=betapw", "user grant-role pgha-beta pgha-beta",
                "auth enable")) {
            etcdctl(root, step);
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void closeClients() {
        open.forEach(EtcdDcs::close);
    }

    private static void etcdctl(Issued as, String args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + String.join(",", etcd.clientUrls()),
                "--cacert=" + ca.caCert(), "--cert=" + as.cert(), "--key=" + as.key()));
        command.addAll(List.of(args.split(" ")));
        Command.run(command, Duration.ofSeconds(30)).orThrow();
    }

    private EtcdDcs client(String scope, List<String> endpoints, Path cacert, Issued cert, String user, String password) {
        EtcdSettings s = new EtcdSettings(endpoints.stream().map(URI::create).toList(), Optional.of(user), Optional.of(password),
                Optional.of(cacert), Optional.of(cert.cert()), Optional.of(cert.key()), RETRY);
        EtcdDcs d = new EtcdDcs(new KeyLayout("/service", scope), s);
        open.add(d);
        return d;
    }

    private EtcdDcs alphaOn(String scope) {
        return client(scope, etcd.clientUrls(), ca.caCert(), alpha, "pgha-alpha", "alphapw");
    }

    @Test
    void aClusterUserReadsWritesAndLeasesOnItsOwnPrefix() {
        EtcdDcs dcs = alphaOn("alpha");
        dcs.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.anything());
        assertThat(dcs.read(Consistency.LINEARIZABLE).config()).isPresent();
        try (MemberSession session = dcs.openSession("node1", 10)) {
            assertThat(session.acquireLeader()).isTrue();
        }
    }

    @Test
    void aClusterUserCannotReadOrWriteAnotherClustersPrefix() {
        EtcdDcs intruder = alphaOn("beta");
        long start = System.nanoTime();
        assertThatThrownBy(() -> intruder.write(ClusterKey.CONFIG, "{\"ttl\":5}", Expect.anything()))
                .isInstanceOf(DcsRejectedException.class).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> intruder.read(Consistency.LINEARIZABLE))
                .isInstanceOf(DcsRejectedException.class).hasMessageContaining("permission denied");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
    }

    @Test
    void aPkcs1ClientKeyWorksAsWellAsPkcs8() {
        Issued pkcs1 = ca.issue("pgha-alpha", "IP:127.0.0.1", KeyFormat.PKCS1, 1);
        EtcdDcs dcs = client("alpha", etcd.clientUrls(), ca.caCert(), pkcs1, "pgha-alpha", "alphapw");
        assertThat(dcs.read(Consistency.LINEARIZABLE)).isNotNull();
    }

    @Test
    void anEcKeyInSec1FormIsRefusedNamingTheFormat() {
        Issued ec = ca.issue("pgha-alpha", "IP:127.0.0.1", KeyFormat.EC, 1);
        assertThatThrownBy(() -> client("alpha", etcd.clientUrls(), ca.caCert(), ec, "pgha-alpha", "alphapw"))
                .isInstanceOf(DcsRejectedException.class).hasMessageContaining("SEC1").hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void aWrongCaIsRejectedNamingIt() {
        TestCa other = TestCa.create(dir.resolve("other"), "someone-else");
        assertRejected(client("alpha", etcd.clientUrls(), other.caCert(), alpha, "pgha-alpha", "alphapw"), "wrong CA");
    }

    @Test
    void aHostnameMismatchIsRejectedNamingIt() {
        List<String> byName = etcd.clientUrls().stream().map(u -> u.replace("127.0.0.1", "localhost")).toList();
        assertRejected(client("alpha", byName, ca.caCert(), alpha, "pgha-alpha", "alphapw"), "hostname mismatch");
    }

    @Test
    void anExpiredClientCertificateIsRejectedNamingIt() {
        Issued expired = ca.issue("pgha-alpha", "IP:127.0.0.1", KeyFormat.PKCS8, 0);
        assertRejected(client("alpha", etcd.clientUrls(), ca.caCert(), expired, "pgha-alpha", "alphapw"), "client certificate");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejectedNamingIt() {
        Issued stranger = TestCa.create(dir.resolve("stranger"), "stranger").issue("pgha-alpha");
        assertRejected(client("alpha", etcd.clientUrls(), ca.caCert(), stranger, "pgha-alpha", "alphapw"), "client certificate");
    }

    @Test
    void anExpiredServerCertificateIsRejectedNamingIt() {
        Issued expired = ca.issue("etcd", "IP:127.0.0.1", KeyFormat.PKCS8, 0);
        try (EtcdCluster stale = EtcdCluster.start(1, EtcdCluster.Options.defaults()
                .withTls(new EtcdCluster.Tls(ca.caCert(), expired.cert(), expired.key(), false)))) {
            assertRejected(client("alpha", stale.clientUrls(), ca.caCert(), alpha, "pgha-alpha", "alphapw"), "expired");
        }
    }

    private static void assertRejected(EtcdDcs dcs, String reason) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> dcs.read(Consistency.LINEARIZABLE))
                .isInstanceOf(DcsRejectedException.class).hasMessageContaining(reason);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("rejected at once, not retried until retry_timeout").isLessThan(PROMPT);
    }
}
