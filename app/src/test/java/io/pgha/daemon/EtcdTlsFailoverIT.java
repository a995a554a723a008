package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.EtcdCluster;
import io.pgha.testing.Command;
import io.pgha.testing.TestCa;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes on a 3-member etcd that speaks only TLS, demands client certificates and has
 * RBAC on: the cluster's user may touch only {@code /service/<scope>/}, as docs/security.md sets it
 * up. The cluster bootstraps and fails over when its primary crashes.
 */
class EtcdTlsFailoverIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void aClusterOnTlsEtcdWithItsOwnRoleFailsOver() throws Exception {
        Path certs = Files.createTempDirectory("pgha-tls-");
        Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestCa ca = TestCa.create(certs, "pgha-it");
        TestCa.Issued server = ca.issue("etcd");
        TestCa.Issued root = ca.issue("root");
        try (EtcdCluster etcd = EtcdCluster.start(3, EtcdCluster.Options.defaults()
                .withTls(new EtcdCluster.Tls(ca.caCert(), server.cert(), server.key(), true)))) {
            TestCa.Issued client = ca.issue("pgha-cluster");
            // The daemons run as PostgreSQL's user; a real deployment would chown the key instead.
            for (Path p : List.of(ca.caCert(), client.cert(), client.key())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            String etcd3 = "\n  protocol: https\n  cacert: " + ca.caCert() + "\n  cert: " + client.cert() + "\n  key: " + client.key()
                    + "\n  username: pgha-cluster\n  password: cluster-secret";
            try (LocalCluster cluster = new LocalCluster(3, "fast", "", etcd, dir -> "", etcd3)) {
                String prefix = "/service/" + cluster.scope + "/";
                for (String step : List.of("user add root --new-user-password=rootpw", "user grant-role root root",
                        "role add pgha-cluster", "role grant-permission pgha-cluster --prefix=true readwrite " + prefix,
                        "user add pgha-cluster --new-user-password=cluster-secret", "user grant-role pgha-cluster pgha-cluster",
                        "auth enable")) {
                    etcdctl(etcd, ca, root, step);
                }
                cluster.startAll();
                LocalNode primary = cluster.awaitHealthy(BOOT);
                cluster.crash(primary);
                LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
                assertThat(promoted).isNotEqualTo(primary);
                List<String> keys = List.of(etcdctl(etcd, ca, root, "--user=root:rootpw get --prefix --keys-only /").split("\n"));
                assertThat(keys).filteredOn(k -> !k.isBlank()).allSatisfy(k -> assertThat(k).startsWith(prefix));
                assertThat(keys).contains(prefix + "leader");
                // Issue 22: no password in any daemon's log, nor in PostgreSQL's, after a bootstrap, clones and a failover.
                for (LocalNode n : cluster.nodes) {
                    try (var files = Files.list(n.dir())) {
                        for (Path log : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                            String text = Files.readString(log);
                            for (String secret : List.of(LocalNode.SUPERUSER_PASSWORD, "cluster-secret")) {
                                assertThat(text).as(log + " holds no password").doesNotContain(secret);
                            }
                        }
                    }
                    assertThat(Files.readString(n.daemonLog())).as("the scan read the daemon's log").contains("leader");
                }
            }
        }
    }

    private static String etcdctl(EtcdCluster etcd, TestCa ca, TestCa.Issued as, String args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + String.join(",", etcd.clientUrls()),
                "--cacert=" + ca.caCert(), "--cert=" + as.cert(), "--key=" + as.key()));
        command.addAll(List.of(args.split(" ")));
        return Command.run(command, Duration.ofSeconds(30)).orThrow().output();
    }
}
