package io.pgha.vip.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few libc socket calls the VIP manager needs, mapped through JNA. Every call that can fail
 * throws {@link LastErrorException} carrying errno, so no caller has to remember to read it.
 * Constants are Linux's (x86-64 and aarch64 agree on all of them).
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_INET = 2;
    int AF_INET6 = 10;
    int AF_NETLINK = 16;
    int AF_PACKET = 17;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;

    int EINTR = 4;
    int EPERM = 1;
    int ENODEV = 19;
    int EEXIST = 17;
    int EADDRNOTAVAIL = 99;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

    NativeLong send(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);

    /** errno as words, e.g. "Operation not permitted (EPERM)" without the number games. */
    static String describe(int errno) {
        String text = INSTANCE.strerror(errno);
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }
}
