package io.pgha.vip.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualIpTest {
    @Test
    void printsAsIpDoes() throws Exception {
        assertThat(new VirtualIp(InetAddress.getByName("10.0.0.3"), 24)).hasToString("10.0.0.3/24");
        assertThat(new VirtualIp(InetAddress.getByName("fd4e:5555:9a9:0:0:0:0:100"), 64)).hasToString("fd4e:5555:9a9::100/64");
        assertThat(VirtualIp.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(VirtualIp.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(VirtualIp.text(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(VirtualIp.text(InetAddress.getByName("fd00::"))).isEqualTo("fd00::");
    }

    @Test
    void prefixMustFitTheFamily() throws Exception {
        assertThatThrownBy(() -> new VirtualIp(InetAddress.getByName("10.0.0.3"), 33)).hasMessageContaining("1..32");
    }
}
