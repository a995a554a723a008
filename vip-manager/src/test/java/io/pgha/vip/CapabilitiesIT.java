package io.pgha.vip;

import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VIP manager needs CAP_NET_ADMIN (rtnetlink address changes) and CAP_NET_RAW (the packet
 * socket for gratuitous ARP), and nothing else: started with exactly those two capabilities
 * (setpriv drops every other, root's included) it binds and announces; without CAP_NET_RAW it
 * refuses to start and says what is missing.
 */
class CapabilitiesIT {
    private static final String KEY = "/service/caps/leader";
    private VipLab lab;

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static List<String> onlyCapabilities(String caps) {
        return List.of("setpriv", "--bounding-set", "-all," + caps, "--inh-caps", "-all", "--ambient-caps", "-all");
    }

    @Test
    void netAdminAndNetRawAreEnoughAndNetRawIsNeeded() throws IOException {
        lab = VipLab.start("n1", "n2", "cl");
        String vip = lab.net.ipv4(100);
        lab.startNameServer("n1");
        lab.startNameServer("n2");
        lab.put(KEY, "n1");
        ChildProcess n1 = lab.startKeeper("vip-n1", "n1", lab.writeConfig("n1.yml", "n1", vip, KEY, Map.of()),
                onlyCapabilities("+net_admin,+net_raw"));
        ChildProcess n2 = lab.startKeeper("vip-n2", "n2", lab.writeConfig("n2.yml", "n2", vip, KEY, Map.of()),
                onlyCapabilities("+net_admin,+net_raw"));
        lab.awaitBound("n1", vip, n1);
        assertThat(effectiveCapabilities(n1.pid())).as("CapEff of the keeper").isEqualTo("0000000000003000");
        assertThat(lab.whoAnswers("cl", vip)).isEqualTo("n1");

        lab.put(KEY, "n2");
        lab.awaitBound("n2", vip, n2);
        String n2Mac = lab.host("n2").mac();
        VipLab.awaitWithLog("client's neighbour entry names n2", n2,
                () -> lab.host("cl").ns().neighbourMac(vip).equals(Optional.of(n2Mac)));

        ChildProcess noRaw = lab.startKeeper("vip-no-raw", "n2", lab.dir.resolve("n2.yml"), onlyCapabilities("+net_admin"));
        assertThat(noRaw.waitForExit(Duration.ofSeconds(30))).as("exits").isTrue();
        assertThat(noRaw.exitCode()).isEqualTo(1);
        assertThat(noRaw.tail(5)).contains("cannot open a raw AF_PACKET socket for gratuitous ARP: Operation not permitted")
                .contains("(this needs CAP_NET_RAW)");
    }

    private static String effectiveCapabilities(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring("CapEff:".length()).trim();
    }
}
