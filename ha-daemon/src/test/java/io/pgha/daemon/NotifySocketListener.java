package io.pgha.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What systemd does with {@code $NOTIFY_SOCKET}, for tests: binds a Unix datagram socket (a file
 * path, or '@' for the abstract namespace) and hands back the messages sent to it, in order.
 */
public final class NotifySocketListener implements AutoCloseable {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    /** Waits in short slices, so a deadline is kept without one long blocking call. */
    private static final Duration SLICE = Duration.ofMillis(200);
    /** Every message received so far, in order. */
    private final List<String> received = new ArrayList<>();
    private final String path;
    private final int fd;

    private NotifySocketListener(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static NotifySocketListener bind(String path) {
        int fd = ListenerLibC.INSTANCE.socket(SystemdNotifier.NotifyLibC.AF_UNIX,
                SystemdNotifier.NotifyLibC.SOCK_DGRAM | SystemdNotifier.NotifyLibC.SOCK_CLOEXEC, 0);
        byte[] address = SystemdNotifier.sockaddr(path);
        ListenerLibC.INSTANCE.bind(fd, address, address.length);
        ByteBuffer timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        timeval.putLong(0).putLong(SLICE.toNanos() / 1000);
        ListenerLibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval.array(), 16);
        return new NotifySocketListener(path, fd);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String path() {
        return path;
    }

    /** The next message, or empty when none came within the timeout. */
    public synchronized Optional<String> next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[4096];
        do {
            try {
                int n = ListenerLibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
                String message = new String(buffer, 0, n, StandardCharsets.UTF_8);
                received.add(message);
                return Optional.of(message);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != 11 && e.getErrorCode() != 4) { // EAGAIN: the slice ended; EINTR
                    throw e;
                }
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** Reads until a message matches, and returns it; fails with all that came when none does in time. */
    public String await(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching notification within " + timeout + "; received " + received());
            }
            Optional<String> m = next(Duration.ofNanos(left));
            if (m.isPresent() && wanted.test(m.get())) {
                return m.get();
            }
        }
    }

    public synchronized List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        ListenerLibC.INSTANCE.close(fd);
    }

    interface ListenerLibC extends Library {
        ListenerLibC INSTANCE = Native.load("c", ListenerLibC.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

        int setsockopt(int fd, int level, int option, byte[] value, int length) throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }
}
