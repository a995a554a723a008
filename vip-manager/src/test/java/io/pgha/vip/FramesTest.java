package io.pgha.vip;

import io.pgha.vip.net.Frames;
import io.pgha.vip.net.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTest {
    private static final MacAddress MAC = new MacAddress("02:11:22:33:44:55");

    @Test
    void gratuitousArpRequestAnnouncesTheVipAsSenderAndTarget() throws Exception {
        byte[] f = Frames.gratuitousArp(MAC, (Inet4Address) InetAddress.getByName("10.10.10.3"), false);
        assertThat(f).hasSize(60);
        assertThat(HexFormat.of().formatHex(f, 0, 42)).isEqualTo(
                "ffffffffffff" + "021122334455" + "0806"     // broadcast, from us, ARP
                        + "0001" + "0800" + "06" + "04" + "0001" // Ethernet/IPv4, request
                        + "021122334455" + "0a0a0a03"              // sender: us, the VIP
                        + "000000000000" + "0a0a0a03");            // target: unknown MAC, the VIP
    }

    @Test
    void gratuitousArpReplyRepeatsOurMacAsTargetAsLinuxRequires() throws Exception {
        byte[] f = Frames.gratuitousArp(MAC, (Inet4Address) InetAddress.getByName("10.10.10.3"), true);
        assertThat(HexFormat.of().formatHex(f, 20, 42)).isEqualTo("0002" + "021122334455" + "0a0a0a03" + "021122334455" + "0a0a0a03");
    }

    @Test
    void neighbourAdvertisementIsUnsolicitedOverridingAndChecksummed() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("fd00::100");
        byte[] f = Frames.unsolicitedNeighbourAdvertisement(MAC, vip);
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(f, 0, 14)).isEqualTo("333300000001" + "021122334455" + "86dd");
        assertThat(hex.formatHex(f, 14, 22)).isEqualTo("60000000" + "0020" + "3a" + "ff"); // 32 bytes ICMPv6, hop limit 255
        assertThat(hex.formatHex(f, 38, 54)).isEqualTo("ff020000000000000000000000000001");
        assertThat(f[54] & 0xff).isEqualTo(136);
        assertThat(hex.formatHex(f, 58, 62)).isEqualTo("20000000"); // override only
        assertThat(hex.formatHex(f, 78, 86)).isEqualTo("0201" + "021122334455");
        // Summing the pseudo-header and the message with the checksum in place gives 0xffff.
        assertThat(onesComplementSum(f)).isEqualTo(0xffff);
    }

    private static int onesComplementSum(byte[] f) {
        long sum = 0;
        for (int i = 22; i < 54; i += 2) { // source and destination addresses
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum += 32 + 58;
        for (int i = 54; i < 86; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }
}
