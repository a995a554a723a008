package io.pgha.vip.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A NETLINK_ROUTE socket: looks up an interface, lists, adds and deletes addresses — what
 * {@code ip addr} does, without starting a process. Adding and deleting need CAP_NET_ADMIN in the
 * socket's network namespace (the one the opening thread was in). Calls are serialised; each
 * waits at most {@link #RECEIVE_TIMEOUT_SECONDS} for the kernel's answer.
 */
public final class Rtnetlink implements AutoCloseable {
    static final int RECEIVE_TIMEOUT_SECONDS = 2;
    private static final int BUFFER = 64 * 1024;

    private final int fd;
    private final byte[] buffer = new byte[BUFFER];
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    private boolean closed;

    private Rtnetlink(int fd) {
        this.fd = fd;
    }

    public static Rtnetlink open() {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new NetException("cannot open a NETLINK_ROUTE socket: " + LibC.describe(e.getErrorCode()), e.getErrorCode(), e);
        }
        Rtnetlink socket = new Rtnetlink(fd);
        // struct timeval {tv_sec, tv_usec}, two longs: a lost answer must not hang the keeper thread.
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(RECEIVE_TIMEOUT_SECONDS).putLong(0).array();
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, timeout.length);
        } catch (LastErrorException e) {
            socket.close();
            throw new NetException("cannot set a receive timeout on the netlink socket: " + LibC.describe(e.getErrorCode()),
                    e.getErrorCode(), e);
        }
        return socket;
    }

    /** The interface called {@code name}; empty when there is none in this network namespace. */
    public synchronized Optional<Link> link(String name) {
        int s = next();
        send(RtnlMessages.getLink(s, name), "look up interface " + name);
        while (true) {
            for (RtnlMessages.Message m : receive("look up interface " + name)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == RtnlMessages.NLMSG_ERROR) {
                    int errno = m.errno();
                    if (errno == LibC.ENODEV) {
                        return Optional.empty();
                    }
                    throw new NetException("cannot look up interface " + name + ": " + LibC.describe(errno), errno);
                }
                if (m.type() == RtnlMessages.RTM_NEWLINK) {
                    return Optional.of(RtnlMessages.link(m.payload()));
                }
            }
        }
    }

    /** Every address of {@code family} (AF_INET or AF_INET6) on every interface. */
    public synchronized List<InterfaceAddress> addresses(int family) {
        int s = next();
        send(RtnlMessages.dumpAddresses(s, family), "list addresses");
        List<InterfaceAddress> out = new ArrayList<>();
        while (true) {
            for (RtnlMessages.Message m : receive("list addresses")) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == RtnlMessages.NLMSG_DONE) {
                    return out;
                }
                if (m.type() == RtnlMessages.NLMSG_ERROR) {
                    throw new NetException("cannot list addresses: " + LibC.describe(m.errno()), m.errno());
                }
                if (m.type() == RtnlMessages.RTM_NEWADDR) {
                    RtnlMessages.address(m.payload()).ifPresent(out::add);
                }
            }
        }
    }

    /** RTM_NEWADDR. Returns false when the address was already there. */
    public synchronized boolean addAddress(int interfaceIndex, VirtualIp vip) {
        int errno = acknowledged(RtnlMessages.newAddress(next(), interfaceIndex, vip), "add " + vip);
        if (errno == LibC.EEXIST) {
            return false;
        }
        if (errno != 0) {
            throw new NetException("cannot add " + vip + ": " + LibC.describe(errno)
                    + NetException.permissionHint(errno, "CAP_NET_ADMIN"), errno);
        }
        return true;
    }

    /** RTM_DELADDR. Returns false when the address was not there. */
    public synchronized boolean deleteAddress(int interfaceIndex, InetAddress address, int prefixLength) {
        String what = VirtualIp.text(address) + "/" + prefixLength;
        int errno = acknowledged(RtnlMessages.deleteAddress(next(), interfaceIndex, address, prefixLength), "delete " + what);
        if (errno == LibC.EADDRNOTAVAIL) {
            return false;
        }
        if (errno != 0) {
            throw new NetException("cannot delete " + what + ": " + LibC.describe(errno)
                    + NetException.permissionHint(errno, "CAP_NET_ADMIN"), errno);
        }
        return true;
    }

    /** Sends a request that asked for NLM_F_ACK and returns the errno of its acknowledgement (0 = done). */
    private int acknowledged(byte[] request, String what) {
        int s = RtnlMessages.parse(request, request.length).get(0).seq();
        send(request, what);
        while (true) {
            for (RtnlMessages.Message m : receive(what)) {
                if (m.seq() == s && m.type() == RtnlMessages.NLMSG_ERROR) {
                    return m.errno();
                }
            }
        }
    }

    private int next() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    private void send(byte[] message, String what) {
        try {
            LibC.INSTANCE.send(fd, message, new NativeLong(message.length), 0);
        } catch (LastErrorException e) {
            throw new NetException("cannot " + what + ": netlink send failed: " + LibC.describe(e.getErrorCode()), e.getErrorCode(), e);
        }
    }

    private List<RtnlMessages.Message> receive(String what) {
        while (true) {
            try {
                int n = LibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
                return RtnlMessages.parse(buffer, n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                throw new NetException("cannot " + what + ": no answer from the kernel (" + LibC.describe(e.getErrorCode()) + ")",
                        e.getErrorCode(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException ignored) {
                // nothing useful to do about a failed close of a socket we are abandoning
            }
        }
    }
}
