package io.pgha.watchdog;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.util.Map;

/**
 * The libc calls a watchdog device needs, through JNA. Every call throws {@link LastErrorException}
 * with errno, so a failure cannot be mistaken for success.
 *
 * <p>The ioctl request numbers are linux/watchdog.h's, encoded as {@code _IOC(dir, type, nr, size)
 * = dir << 30 | size << 16 | type << 8 | nr} with the generic {@code _IOC_READ = 2},
 * {@code _IOC_WRITE = 1} of x86-64 and aarch64 (powerpc, mips and sparc encode them differently;
 * pgha does not run there). {@code 'W'} is 0x57; {@code sizeof(struct watchdog_info)} is 40 and
 * {@code sizeof(int)} 4.
 */
interface WatchdogLibC extends Library {
    WatchdogLibC INSTANCE = Native.load("c", WatchdogLibC.class);

    int O_WRONLY = 1;
    /** Not inherited by PostgreSQL or callback scripts: a child holding the fd would keep the device open. */
    int O_CLOEXEC = 0x80000;

    /** {@code _IOR('W', 0, struct watchdog_info)} = 2<<30 | 40<<16 | 'W'<<8 | 0. */
    long WDIOC_GETSUPPORT = 0x80285700L;
    /** {@code _IOR('W', 5, int)}. */
    long WDIOC_KEEPALIVE = 0x80045705L;
    /** {@code _IOWR('W', 6, int)}: in the wanted seconds, out the granted ones. */
    long WDIOC_SETTIMEOUT = 0xC0045706L;
    /** {@code _IOR('W', 7, int)}. */
    long WDIOC_GETTIMEOUT = 0x80045707L;

    int WATCHDOG_INFO_SIZE = 40;

    /** Symbolic names of the errnos a watchdog device answers with (asm-generic/errno-base.h). */
    Map<Integer, String> ERRNO_NAMES = Map.of(1, "EPERM", 2, "ENOENT", 13, "EACCES", 16, "EBUSY", 19, "ENODEV",
            22, "EINVAL", 25, "ENOTTY", 95, "EOPNOTSUPP", 21, "EISDIR", 30, "EROFS");

    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, byte[] arg) throws LastErrorException;

    int ioctl(int fd, NativeLong request, int[] arg) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);

    /** "No such file or directory (ENOENT, errno 2)". */
    static String describe(int errno) {
        String text = INSTANCE.strerror(errno);
        String name = ERRNO_NAMES.get(errno);
        return (text == null ? "error" : text) + " (" + (name == null ? "" : name + ", ") + "errno " + errno + ")";
    }
}
