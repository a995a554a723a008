package io.pgha.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NetLabTest {

    @Test
    void hostsOnTheBridgeReachEachOtherAndTheRootNamespaceAndCloseDeletesEverything() {
        String id;
        List<String> namespaces;
        try (NetLab lab = NetLab.create()) {
            id = lab.id();
            NetLab.Host a = lab.addHost("a");
            NetLab.Host b = lab.addHost("b");
            namespaces = List.of(a.ns().name(), b.ns().name());
            assertThat(a.ipv4()).isNotEqualTo(b.ipv4());
            assertThat(a.mac()).isNotEqualTo(b.mac());
            // A refused TCP connection proves the path: b's kernel answered a's SYN with a RST.
            Command.Result r = a.ns().bash(Duration.ofSeconds(5), "exec 3<>/dev/tcp/" + b.ipv4() + "/9");
            assertThat(r.output()).contains("Connection refused");
            assertThat(a.ns().neighbourMac(b.ipv4())).contains(b.mac());
            Command.Result v6 = a.ns().bash(Duration.ofSeconds(5), "exec 3<>/dev/tcp/" + b.ipv6() + "/9");
            assertThat(v6.output()).contains("Connection refused");
            Command.Result root = a.ns().bash(Duration.ofSeconds(5), "exec 3<>/dev/tcp/" + lab.bridgeIpv4() + "/9");
            assertThat(root.output()).contains("Connection refused");
            assertThat(Files.exists(NetLab.MARKERS.resolve(id))).isTrue();
        }
        for (String ns : namespaces) {
            assertThat(NetNs.exists(ns)).as(ns + " deleted").isFalse();
        }
        assertThat(Command.run("ip", "link", "show", "dev", id + "-br").ok()).as("bridge deleted").isFalse();
        assertThat(Files.exists(NetLab.MARKERS.resolve(id))).as("marker deleted").isFalse();
    }

    @Test
    void leftoversOfADeadOwnerAreSweptAndThoseOfALiveOwnerAreNot() throws Exception {
        try (NetLab live = NetLab.create()) {
            live.addHost("x");
            // A lab "left behind" by a process that has exited: same names, marker naming a dead PID.
            NetLab orphan = NetLab.create();
            orphan.addHost("y");
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Files.writeString(NetLab.MARKERS.resolve(orphan.id()), dead.pid() + " 1 198.18.0.0/24\n");

            assertThat(NetLab.sweepLeftovers()).containsExactly(orphan.id());
            assertThat(NetNs.exists(orphan.id() + "-y")).isFalse();
            assertThat(Command.run("ip", "link", "show", "dev", orphan.id() + "-br").ok()).isFalse();
            assertThat(NetNs.exists(live.id() + "-x")).as("a running owner's lab is left alone").isTrue();
            orphan.close(); // nothing left to delete: must not fail
        }
    }
}
