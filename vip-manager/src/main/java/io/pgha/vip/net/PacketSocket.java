package io.pgha.vip.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw AF_PACKET socket that only sends whole Ethernet frames out of one interface. It is opened
 * with protocol 0, so the kernel delivers nothing to it and it never queues incoming traffic.
 * Opening it needs CAP_NET_RAW.
 */
public final class PacketSocket implements AutoCloseable {
    private final int fd;
    private boolean closed;

    private PacketSocket(int fd) {
        this.fd = fd;
    }

    public static PacketSocket open() {
        try {
            return new PacketSocket(LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0));
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            throw new NetException("cannot open a raw AF_PACKET socket for gratuitous ARP: " + LibC.describe(errno)
                    + NetException.permissionHint(errno, "CAP_NET_RAW"), errno, e);
        }
    }

    /** Sends one frame (Ethernet header included) out of the interface with this index. */
    public synchronized void send(int interfaceIndex, int etherType, byte[] frame) {
        // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]
        ByteBuffer address = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        address.putShort((short) LibC.AF_PACKET);
        address.order(ByteOrder.BIG_ENDIAN).putShort((short) etherType).order(ByteOrder.nativeOrder());
        address.putInt(interfaceIndex).putShort((short) 0).put((byte) 0).put((byte) 6);
        System.arraycopy(frame, 0, address.array(), 12, 6); // destination MAC
        try {
            LibC.INSTANCE.sendto(fd, frame, new NativeLong(frame.length), 0, address.array(), 20);
        } catch (LastErrorException e) {
            throw new NetException("cannot send a frame on interface #" + interfaceIndex + ": " + LibC.describe(e.getErrorCode()),
                    e.getErrorCode(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException ignored) {
                // abandoning the socket either way
            }
        }
    }
}
