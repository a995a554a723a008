package io.pgha.vip.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * rtnetlink messages as bytes, both ways, with no I/O: the requests the VIP manager sends
 * (RTM_GETLINK by name, RTM_GETADDR dump, RTM_NEWADDR, RTM_DELADDR) and the replies it reads.
 * Layouts follow {@code linux/netlink.h}, {@code linux/rtnetlink.h}, {@code linux/if_addr.h};
 * everything is in host byte order and 4-byte aligned.
 */
final class RtnlMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    /** No duplicate address detection: an IPv6 VIP must be usable at once, not "tentative" for a second. */
    static final int IFA_F_NODAD = 0x02;

    static final int HEADER = 16;
    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;

    private RtnlMessages() {
    }

    /** One message of a reply. {@code payload} starts after the netlink header. */
    record Message(int type, int flags, int seq, ByteBuffer payload) {
        /** For NLMSG_ERROR: 0 for an acknowledgement, otherwise the (positive) errno. */
        int errno() {
            return -payload.getInt(0);
        }
    }

    static byte[] getLink(int seq, String name) {
        Builder b = new Builder(RTM_GETLINK, NLM_F_REQUEST, seq);
        b.buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0); // ifinfomsg, index 0: by name
        b.attribute(IFLA_IFNAME, (name + "\0").getBytes(StandardCharsets.UTF_8));
        return b.finish();
    }

    static byte[] dumpAddresses(int seq, int family) {
        Builder b = new Builder(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
        b.buffer.put((byte) family).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        return b.finish();
    }

    /** Adds the address; EEXIST if it is already there (we ask for NLM_F_EXCL to learn that). */
    static byte[] newAddress(int seq, int interfaceIndex, VirtualIp vip) {
        Builder b = new Builder(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq);
        addressHeader(b, vip.family(), vip.prefixLength(), vip.isIpv6() ? IFA_F_NODAD : 0, interfaceIndex);
        byte[] raw = vip.address().getAddress();
        if (!vip.isIpv6()) {
            b.attribute(IFA_LOCAL, raw);
        }
        b.attribute(IFA_ADDRESS, raw);
        if (vip.isIpv6()) {
            b.attribute(IFA_FLAGS, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(IFA_F_NODAD).array());
        }
        return b.finish();
    }

    static byte[] deleteAddress(int seq, int interfaceIndex, InetAddress address, int prefixLength) {
        Builder b = new Builder(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq);
        boolean v4 = address instanceof Inet4Address;
        addressHeader(b, v4 ? LibC.AF_INET : LibC.AF_INET6, prefixLength, 0, interfaceIndex);
        byte[] raw = address.getAddress();
        if (v4) {
            b.attribute(IFA_LOCAL, raw);
        }
        b.attribute(IFA_ADDRESS, raw);
        return b.finish();
    }

    private static void addressHeader(Builder b, int family, int prefixLength, int flags, int interfaceIndex) {
        b.buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) 0 /* RT_SCOPE_UNIVERSE */)
                .putInt(interfaceIndex);
    }

    /** Splits what one recv() returned into messages. */
    static List<Message> parse(byte[] data, int length) {
        ByteBuffer all = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int offset = 0;
        while (offset + HEADER <= length) {
            int messageLength = all.getInt(offset);
            if (messageLength < HEADER || offset + messageLength > length) {
                throw new NetException("malformed netlink reply: message of " + messageLength + " bytes at offset " + offset
                        + " in " + length, 0);
            }
            int type = Short.toUnsignedInt(all.getShort(offset + 4));
            int flags = Short.toUnsignedInt(all.getShort(offset + 6));
            int seq = all.getInt(offset + 8);
            ByteBuffer payload = all.slice(offset + HEADER, messageLength - HEADER).order(ByteOrder.nativeOrder());
            out.add(new Message(type, flags, seq, payload));
            offset += align(messageLength);
        }
        return out;
    }

    static Link link(ByteBuffer p) {
        int type = Short.toUnsignedInt(p.getShort(2));
        int index = p.getInt(4);
        int flags = p.getInt(8);
        String name = "";
        Optional<MacAddress> mac = Optional.empty();
        for (Attribute a : attributes(p, IFINFOMSG)) {
            if (a.type == IFLA_IFNAME) {
                byte[] v = a.value();
                int end = 0;
                while (end < v.length && v[end] != 0) {
                    end++;
                }
                name = new String(v, 0, end, StandardCharsets.UTF_8);
            } else if (a.type == IFLA_ADDRESS && a.length == 6) {
                mac = Optional.of(MacAddress.of(a.value()));
            }
        }
        return new Link(index, name, type, flags, mac);
    }

    static Optional<InterfaceAddress> address(ByteBuffer p) {
        int prefixLength = Byte.toUnsignedInt(p.get(1));
        int index = p.getInt(4);
        byte[] local = null;
        byte[] address = null;
        for (Attribute a : attributes(p, IFADDRMSG)) {
            if (a.type == IFA_LOCAL) {
                local = a.value();
            } else if (a.type == IFA_ADDRESS) {
                address = a.value();
            }
        }
        // For IPv4 IFA_LOCAL is this host's address (IFA_ADDRESS is the peer on point-to-point links).
        byte[] raw = local != null ? local : address;
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InterfaceAddress(index, InetAddress.getByAddress(raw), prefixLength));
        } catch (UnknownHostException e) {
            return Optional.empty(); // a length that is neither 4 nor 16: not an address we manage
        }
    }

    private record Attribute(ByteBuffer buffer, int type, int offset, int length) {
        byte[] value() {
            byte[] v = new byte[length];
            buffer.get(offset, v);
            return v;
        }
    }

    private static List<Attribute> attributes(ByteBuffer p, int start) {
        List<Attribute> out = new ArrayList<>();
        int offset = align(start);
        while (offset + 4 <= p.limit()) {
            int length = Short.toUnsignedInt(p.getShort(offset));
            int type = Short.toUnsignedInt(p.getShort(offset + 2)) & 0x3fff; // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (length < 4 || offset + length > p.limit()) {
                break;
            }
            out.add(new Attribute(p, type, offset + 4, length - 4));
            offset += align(length);
        }
        return out;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** Appends a header, a fixed part and attributes; {@link #finish()} writes the total length. */
    private static final class Builder {
        final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

        Builder(int type, int flags, int seq) {
            buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        }

        void attribute(int type, byte[] value) {
            int length = 4 + value.length;
            buffer.putShort((short) length).putShort((short) type).put(value);
            pad();
        }

        private void pad() {
            while (buffer.position() % 4 != 0) {
                buffer.put((byte) 0);
            }
        }

        byte[] finish() {
            pad();
            int length = buffer.position();
            buffer.putInt(0, length);
            return Arrays.copyOf(buffer.array(), length);
        }
    }
}
