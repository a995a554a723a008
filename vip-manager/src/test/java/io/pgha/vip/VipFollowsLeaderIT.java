package io.pgha.vip;

import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node namespaces and a client namespace on one bridge, real etcd, one {@code pgha vip}
 * process per node. The leader key is written straight into etcd, as Patroni or pgha would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VipFollowsLeaderIT {
    private static final String KEY = "/service/pgtest/leader";
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    private VipLab lab;
    private String vip;
    private final Map<String, ChildProcess> keepers = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        lab = VipLab.start("n1", "n2", "n3", "cl");
        vip = lab.net.ipv4(100);
        for (String n : NODES) {
            lab.startNameServer(n);
            keepers.put(n, lab.startKeeper("vip-" + n, n, lab.writeConfig(n + ".yml", n, vip, KEY, Map.of())));
        }
    }

    @AfterAll
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private void awaitOnlyOn(String leader) {
        lab.awaitBound(leader, vip, keepers.get(leader));
        for (String n : NODES) {
            if (!n.equals(leader)) {
                lab.awaitUnbound(n, vip, keepers.get(n));
            }
        }
    }

    @Test
    void vipIsBoundOnTheLeaderOnlyAndFollowsTheLeaderKeyWithGratuitousArp() {
        lab.put(KEY, "n1");
        awaitOnlyOn("n1");
        // The others have decided, not merely not got round to it: each logged why it does not hold.
        for (String n : List.of("n2", "n3")) {
            VipLab.awaitWithLog(n + " says why it does not hold the VIP", keepers.get(n),
                    () -> keepers.get(n).tail(500).contains("leader key names n1, not " + n));
        }
        assertThat(lab.whoAnswers("cl", vip)).isEqualTo("n1");
        String n1Mac = lab.host("n1").mac();
        String n2Mac = lab.host("n2").mac();
        assertThat(lab.host("cl").ns().neighbourMac(vip)).contains(n1Mac);

        lab.put(KEY, "n2");
        awaitOnlyOn("n2");
        // The client sends nothing: only n2's gratuitous ARP can have changed its entry.
        VipLab.awaitWithLog("client's neighbour entry for the VIP names n2's MAC", keepers.get("n2"),
                () -> lab.host("cl").ns().neighbourMac(vip).equals(Optional.of(n2Mac)));
        assertThat(lab.whoAnswers("cl", vip)).isEqualTo("n2");
        assertThat(keepers.get("n1").tail(500)).contains("released " + vip + "/24 on eth0");
        assertThat(keepers.get("n2").tail(500)).contains("bound " + vip + "/24 on eth0");
    }

    @Test
    void anAddressRemovedByHandComesBackAndOneAddedByHandOnAReplicaGoes() {
        lab.put(KEY, "n3");
        awaitOnlyOn("n3");

        lab.host("n3").ns().ip("addr", "del", vip + "/24", "dev", "eth0").orThrow();
        lab.awaitBound("n3", vip, keepers.get("n3"));
        assertThat(keepers.get("n3").tail(500)).contains("again: it had been removed outside pgha");

        lab.host("n1").ns().ip("addr", "add", vip + "/24", "dev", "eth0").orThrow();
        lab.awaitUnbound("n1", vip, keepers.get("n1"));
        assertThat(keepers.get("n1").tail(500)).contains("removed (it was bound outside pgha)");
    }

    @Test
    void noLeaderKeyMeansNoVipAnywhere() {
        lab.put(KEY, "n1");
        awaitOnlyOn("n1");
        lab.delete(KEY);
        lab.awaitUnbound("n1", vip, keepers.get("n1"));
        VipLab.awaitWithLog("n1 says why", keepers.get("n1"), () -> keepers.get("n1").tail(500).contains("no leader key"));
        for (String n : NODES) {
            assertThat(lab.bound(n, vip)).as(n + " holds the VIP").isFalse();
        }
    }

    @Test
    void ipv6VipMovesWithUnsolicitedNeighbourAdvertisements() {
        String key = "/service/pgtest6/leader";
        String vip6 = lab.net.ipv6(0x100);
        lab.put(key, "n1");
        ChildProcess n1 = lab.startKeeper("vip6-n1", "n1", lab.writeConfig("n1-v6.yml", "n1", vip6, key, Map.of()));
        ChildProcess n2 = lab.startKeeper("vip6-n2", "n2", lab.writeConfig("n2-v6.yml", "n2", vip6, key, Map.of()));
        lab.awaitBound("n1", vip6, n1);
        assertThat(lab.whoAnswers("cl", vip6)).isEqualTo("n1");
        assertThat(lab.host("cl").ns().neighbourMac(vip6)).contains(lab.host("n1").mac());

        lab.put(key, "n2");
        lab.awaitBound("n2", vip6, n2);
        lab.awaitUnbound("n1", vip6, n1);
        String n2Mac = lab.host("n2").mac();
        VipLab.awaitWithLog("client's IPv6 neighbour entry names n2's MAC", n2,
                () -> lab.host("cl").ns().neighbourMac(vip6).equals(Optional.of(n2Mac)));
        assertThat(lab.whoAnswers("cl", vip6)).isEqualTo("n2");
        lab.stop(n1);
        lab.stop(n2);
        assertThat(lab.bound("n2", vip6)).isFalse();
    }

    @Test
    void sigtermReleasesTheVip() {
        lab.put(KEY, "n2");
        awaitOnlyOn("n2");
        ChildProcess n2 = keepers.get("n2");
        lab.stop(n2);
        assertThat(lab.bound("n2", vip)).as("VIP still bound after SIGTERM").isFalse();
        assertThat(n2.exitCode()).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(n2.tail(500)).contains("released " + vip + "/24 on eth0: stopping");
        // Back in service for the other tests (they may run after this one).
        keepers.put("n2", lab.startKeeper("vip-n2-restarted", "n2", lab.dir.resolve("n2.yml")));
        lab.awaitBound("n2", vip, keepers.get("n2"));
    }
}
