package io.pgha.vip.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The Ethernet frames that tell a segment "this address now lives at this MAC", built byte by byte
 * (RFC 826, RFC 5227 §2.3, RFC 4861 §4.4/§7.2.6). Pure functions, so they are tested bit-exact.
 */
public final class Frames {
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86DD;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;
    private static final int MIN_FRAME = 60; // Ethernet minimum without FCS; veth does not pad for us
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** 33:33 + the low 32 bits of ff02::1 (RFC 2464 §7). */
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final InetAddress ALL_NODES;

    static {
        try {
            ALL_NODES = InetAddress.getByName("ff02::1");
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Frames() {
    }

    /**
     * A gratuitous ARP: sender and target protocol address are both the VIP, broadcast. The request
     * form (target MAC zero) is what RFC 5227 calls an announcement; the reply form repeats our MAC as
     * target MAC, which is what Linux requires before it treats an ARP reply as gratuitous. We send
     * both because switches and hosts differ in which one they honour.
     */
    public static byte[] gratuitousArp(MacAddress mac, Inet4Address vip, boolean reply) {
        byte[] m = mac.bytes();
        byte[] ip = vip.getAddress();
        ByteBuffer f = ByteBuffer.allocate(MIN_FRAME); // big-endian: network order
        f.put(BROADCAST).put(m).putShort((short) ETH_P_ARP);
        f.putShort((short) 1)           // hardware type: Ethernet
                .putShort((short) 0x0800) // protocol type: IPv4
                .put((byte) 6).put((byte) 4)
                .putShort((short) (reply ? ARP_REPLY : ARP_REQUEST));
        f.put(m).put(ip);
        f.put(reply ? m : new byte[6]).put(ip);
        return f.array(); // the rest is zero padding
    }

    /**
     * An unsolicited neighbour advertisement for the VIP to all nodes, with the override flag set so
     * receivers replace the MAC they cached for it, and our MAC as the target link-layer address.
     */
    public static byte[] unsolicitedNeighbourAdvertisement(MacAddress mac, Inet6Address vip) {
        byte[] m = mac.bytes();
        byte[] source = vip.getAddress();
        byte[] destination = ALL_NODES.getAddress();
        ByteBuffer icmp = ByteBuffer.allocate(32);
        icmp.put((byte) 136).put((byte) 0).putShort((short) 0) // type NA, code, checksum (below)
                .putInt(0x20000000)                              // R=0 S=0 O=1
                .put(source)                                     // target address: the VIP
                .put((byte) 2).put((byte) 1).put(m);             // option: target link-layer address, 8 bytes
        short checksum = icmpv6Checksum(source, destination, icmp.array());
        icmp.putShort(2, checksum);

        ByteBuffer f = ByteBuffer.allocate(14 + 40 + 32);
        f.put(ALL_NODES_MAC).put(m).putShort((short) ETH_P_IPV6);
        f.putInt(0x60000000)                     // version 6, traffic class 0, flow label 0
                .putShort((short) 32)            // payload length
                .put((byte) 58)                  // next header: ICMPv6
                .put((byte) 255)                 // hop limit: receivers drop NDP with any other
                .put(source).put(destination);
        f.put(icmp.array());
        return f.array();
    }

    /** RFC 4443 §2.3: one's complement sum over the IPv6 pseudo-header and the ICMPv6 message. */
    static short icmpv6Checksum(byte[] source, byte[] destination, byte[] message) {
        long sum = 0;
        sum += sum16(source);
        sum += sum16(destination);
        sum += message.length;       // upper-layer packet length (32 bits; high half is zero here)
        sum += 58;                   // next header
        sum += sum16(message);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    private static long sum16(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int hi = bytes[i] & 0xff;
            int lo = i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        return sum;
    }
}
