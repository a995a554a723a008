package io.pgha.provision.sandbox;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxSpecTest {
    @Test
    void pigstysSandboxGetsTheBridgeOnDotOne() {
        SandboxSpec spec = SandboxSpec.of("pgsb", List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13"));
        assertThat(spec.stateDir()).isEqualTo(Path.of("/var/lib/pgha-sandbox/pgsb"));
        assertThat(spec.subnet().toString()).isEqualTo("10.10.10.0/24");
        assertThat(spec.subnet().firstFree(spec.hostAddresses())).isEqualTo("10.10.10.1");
        assertThat(Ipv4Subnet.of("10.10.10.1", 24).firstFree(List.of("10.10.10.1", "10.10.10.2"))).isEqualTo("10.10.10.3");
    }

    @Test
    void namesFitLinuxInterfaceNames() {
        String longest = "abcdefghij";
        new SandboxSpec(longest, List.of("10.1.1.2"), 24, null);
        assertThat(Sandbox.bridgeName(longest).length()).isLessThanOrEqualTo(15);
        assertThat(Sandbox.vethName(longest, 98).length()).isLessThanOrEqualTo(15);
        assertThat(Sandbox.namespaceName("pgsb", "10.10.10.11")).isEqualTo("pgsb-10-10-10-11");
        assertThatThrownBy(() -> SandboxSpec.of("abcdefghijk", List.of("10.1.1.2"))).hasMessageContaining("15 characters");
        assertThatThrownBy(() -> SandboxSpec.of("Pg", List.of("10.1.1.2"))).hasMessageContaining("lowercase");
    }

    @Test
    void hostsMustShareOneSubnetAndBeUsable() {
        assertThatThrownBy(() -> SandboxSpec.of("x", List.of("10.1.1.2", "10.1.2.2"))).hasMessageContaining("10.1.2.2 is not in 10.1.1.0/24");
        assertThatThrownBy(() -> SandboxSpec.of("x", List.of("10.1.1.255"))).hasMessageContaining("broadcast");
        assertThatThrownBy(() -> SandboxSpec.of("x", List.of("10.1.1.2", "10.1.1.2"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> SandboxSpec.of("x", List.of("10.1.1"))).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void subnetsOverlap() {
        assertThat(Ipv4Subnet.parseCidr("10.0.0.0/8").overlaps(Ipv4Subnet.of("10.222.3.0", 24))).isTrue();
        assertThat(Ipv4Subnet.parseCidr("10.222.3.7").overlaps(Ipv4Subnet.of("10.222.3.0", 24))).isTrue();
        assertThat(Ipv4Subnet.parseCidr("10.222.4.0/24").overlaps(Ipv4Subnet.of("10.222.3.0", 24))).isFalse();
    }

    @Test
    void theBootScriptQuotesItsPathsAndExecsSshd() {
        String script = Bootstrap.script("10.10.10.11", "pgsb-10-10-10-11", Path.of("/var/lib/pgha sandbox/pgsb"),
                Path.of("/var/lib/pgha sandbox/pgsb/10.10.10.11"));
        assertThat(script).contains("state='/var/lib/pgha sandbox/pgsb'")
                .contains("lowerdir=/,upperdir=$dir/upper,workdir=$dir/work")
                .contains("pivot_root . .")
                .endsWith("exec /usr/sbin/sshd -D -e -f " + Bootstrap.SSHD_CONFIG + " </dev/null\n");
        assertThat(Bootstrap.sshdConfig("10.10.10.11")).contains("ListenAddress 10.10.10.11:22").contains("UsePAM no")
                .contains("PasswordAuthentication no").contains("PermitRootLogin prohibit-password");
    }
}
