package io.pgha.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * sd_notify(3) without libsystemd: sends one datagram ({@code READY=1}, {@code STATUS=...}) to the
 * Unix socket that systemd names in {@code $NOTIFY_SOCKET}. Java's DatagramChannel has no AF_UNIX,
 * so the socket is libc's, through JNA. Without a socket it does nothing; a failed send is logged
 * once and never stops the daemon, which works the same whether or not systemd listens.
 */
final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    /** sun_path of struct sockaddr_un holds 108 bytes, the final NUL of a file path included. */
    static final int SUN_PATH_SIZE = 108;

    private final Optional<String> socketPath;
    private int fd = -1;
    private boolean warned;

    SystemdNotifier(Optional<String> socketPath) {
        this.socketPath = socketPath.filter(p -> !p.isEmpty());
    }

    static SystemdNotifier fromEnvironment(Map<String, String> env) {
        return new SystemdNotifier(Optional.ofNullable(env.get("NOTIFY_SOCKET")));
    }

    boolean enabled() {
        return socketPath.isPresent();
    }

    /** Sends one message, e.g. "READY=1"; true when the datagram left. */
    synchronized boolean send(String message) {
        if (socketPath.isEmpty()) {
            return false;
        }
        try {
            byte[] address = sockaddr(socketPath.get());
            if (fd < 0) {
                fd = NotifyLibC.INSTANCE.socket(NotifyLibC.AF_UNIX, NotifyLibC.SOCK_DGRAM | NotifyLibC.SOCK_CLOEXEC, 0);
            }
            byte[] payload = message.getBytes(StandardCharsets.UTF_8);
            NotifyLibC.INSTANCE.sendto(fd, payload, new NativeLong(payload.length), NotifyLibC.MSG_NOSIGNAL, address, address.length);
            return true;
        } catch (LastErrorException | IllegalArgumentException | UnsatisfiedLinkError e) {
            if (!warned) {
                warned = true;
                LOG.warn("systemd not notified through {} ({}: {}); the daemon goes on, later failures are not logged",
                        socketPath.get(), message.lines().findFirst().orElse(""), describe(e));
            }
            return false;
        }
    }

    /**
     * struct sockaddr_un as bytes: sa_family_t in native order, then the path. A path starting with
     * '@' names the abstract namespace: a leading NUL and no terminating one, the length counting.
     */
    static byte[] sockaddr(String path) {
        boolean abstractName = path.startsWith("@");
        byte[] name = (abstractName ? "\0" + path.substring(1) : path).getBytes(StandardCharsets.UTF_8);
        int pathBytes = abstractName ? name.length : name.length + 1;
        if (pathBytes > SUN_PATH_SIZE) {
            throw new IllegalArgumentException("socket path longer than " + SUN_PATH_SIZE + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort((short) NotifyLibC.AF_UNIX).put(name);
        return b.array();
    }

    private static String describe(Throwable e) {
        if (e instanceof LastErrorException l) {
            return NotifyLibC.INSTANCE.strerror(l.getErrorCode()) + ", errno " + l.getErrorCode();
        }
        return e.getMessage();
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                NotifyLibC.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                LOG.debug("notify socket not closed: {}", describe(e));
            }
            fd = -1;
        }
    }

    /** The libc calls of one datagram; each throws {@link LastErrorException} with errno. Values of x86-64 and aarch64 Linux. */
    interface NotifyLibC extends Library {
        NotifyLibC INSTANCE = Native.load("c", NotifyLibC.class);

        int AF_UNIX = 1;
        int SOCK_DGRAM = 2;
        /** Not inherited by PostgreSQL or callback scripts. */
        int SOCK_CLOEXEC = 0x80000;
        /** A gone listener is an error to report, not a SIGPIPE that ends the JVM. */
        int MSG_NOSIGNAL = 0x4000;

        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;

        String strerror(int errno);
    }
}
