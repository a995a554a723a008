package io.pgha.vip.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RtnlMessagesTest {

    @Test
    void newAddressCarriesFamilyPrefixInterfaceAndLocalAddress() throws Exception {
        VirtualIp vip = new VirtualIp(InetAddress.getByName("10.10.10.3"), 24);
        byte[] m = RtnlMessages.newAddress(7, 42, vip);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(m.length).isEqualTo(16 + 8 + 8 + 8);
        assertThat(b.getShort(4)).isEqualTo((short) RtnlMessages.RTM_NEWADDR);
        assertThat(b.getShort(6)).isEqualTo((short) (RtnlMessages.NLM_F_REQUEST | RtnlMessages.NLM_F_ACK
                | RtnlMessages.NLM_F_CREATE | RtnlMessages.NLM_F_EXCL));
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(b.get(16)).isEqualTo((byte) LibC.AF_INET);
        assertThat(b.get(17)).isEqualTo((byte) 24);
        assertThat(b.getInt(20)).isEqualTo(42);
        assertThat(b.getShort(24)).isEqualTo((short) 8);                        // rta_len
        assertThat(b.getShort(26)).isEqualTo((short) RtnlMessages.IFA_LOCAL);
        assertThat(new byte[] {m[28], m[29], m[30], m[31]}).containsExactly(10, 10, 10, 3);
        assertThat(b.getShort(34)).isEqualTo((short) RtnlMessages.IFA_ADDRESS);
    }

    @Test
    void ipv6AddressesAreAddedWithoutDuplicateAddressDetection() throws Exception {
        byte[] m = RtnlMessages.newAddress(1, 3, new VirtualIp(InetAddress.getByName("fd00::100"), 64));
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(b.get(16)).isEqualTo((byte) LibC.AF_INET6);
        assertThat(b.get(18)).isEqualTo((byte) RtnlMessages.IFA_F_NODAD);
        // IFA_ADDRESS (4 + 16) then IFA_FLAGS (4 + 4)
        assertThat(b.getShort(26)).isEqualTo((short) RtnlMessages.IFA_ADDRESS);
        assertThat(b.getShort(46)).isEqualTo((short) RtnlMessages.IFA_FLAGS);
        assertThat(b.getInt(48)).isEqualTo(RtnlMessages.IFA_F_NODAD);
    }

    @Test
    void repliesAreSplitAndAddressesAndErrorsRead() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        // RTM_NEWADDR: ifaddrmsg + IFA_LOCAL 192.0.2.7, prefix 24, ifindex 5
        b.putInt(16 + 8 + 8).putShort((short) RtnlMessages.RTM_NEWADDR).putShort((short) RtnlMessages.NLM_F_MULTI).putInt(9).putInt(0);
        b.put((byte) LibC.AF_INET).put((byte) 24).put((byte) 0).put((byte) 0).putInt(5);
        b.putShort((short) 8).putShort((short) RtnlMessages.IFA_LOCAL).put(new byte[] {(byte) 192, 0, 2, 7});
        // NLMSG_ERROR with -EEXIST
        b.putInt(16 + 4).putShort((short) RtnlMessages.NLMSG_ERROR).putShort((short) 0).putInt(10).putInt(0);
        b.putInt(-LibC.EEXIST);
        List<RtnlMessages.Message> messages = RtnlMessages.parse(b.array(), b.position());
        assertThat(messages).hasSize(2);
        assertThat(RtnlMessages.address(messages.get(0).payload())).hasValueSatisfying(a -> {
            assertThat(a.interfaceIndex()).isEqualTo(5);
            assertThat(a.address().getHostAddress()).isEqualTo("192.0.2.7");
            assertThat(a.prefixLength()).isEqualTo(24);
        });
        assertThat(messages.get(1).seq()).isEqualTo(10);
        assertThat(messages.get(1).errno()).isEqualTo(LibC.EEXIST);
    }

    /** Read-only, against this machine's kernel: nothing is changed in the root namespace. */
    @Test
    void theKernelAnswersLinkAndAddressQueries() {
        try (Rtnetlink netlink = Rtnetlink.open()) {
            Link lo = netlink.link("lo").orElseThrow();
            assertThat(lo.isLoopback()).isTrue();
            assertThat(lo.isEthernet()).isFalse();
            assertThat(lo.name()).isEqualTo("lo");
            assertThat(netlink.link("nosuch0")).isEmpty();
            assertThat(netlink.addresses(LibC.AF_INET))
                    .anySatisfy(a -> assertThat(a.address().getHostAddress()).isEqualTo("127.0.0.1"));
        }
    }
}
