package io.pgha.watchdog;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Linux watchdog character device ({@code /dev/watchdog}, softdog or hardware) driven through
 * open(2), ioctl(2), write(2) and close(2). Not thread-safe: the HA loop is its only caller.
 */
public final class LinuxWatchdogDevice implements WatchdogDevice {
    private static final int CLOSED = -1;

    private final Path path;
    private int fd = CLOSED;
    /** Until GETSUPPORT says the driver has WDIOC_KEEPALIVE, ping by write(2), which every driver accepts. */
    private boolean keepAliveIoctl;

    public LinuxWatchdogDevice(Path path) {
        this.path = path;
    }

    @Override
    public Optional<String> problemBeforeOpen() {
        if (!Files.exists(path)) {
            return Optional.of(path + " does not exist (load a driver, e.g. modprobe softdog)");
        }
        if (!Files.isWritable(path)) {
            return Optional.of(path + " is not writable by this user (chown it to the user running pgha)");
        }
        return Optional.empty();
    }

    @Override
    public void open() throws WatchdogException {
        if (fd != CLOSED) {
            throw new WatchdogException("watchdog " + path + " is already open by this daemon");
        }
        try {
            fd = WatchdogLibC.INSTANCE.open(path.toString(), WatchdogLibC.O_WRONLY | WatchdogLibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw failure("open", e);
        }
    }

    @Override
    public WatchdogSupport getSupport() throws WatchdogException {
        byte[] info = new byte[WatchdogLibC.WATCHDOG_INFO_SIZE];
        ioctl("WDIOC_GETSUPPORT", WatchdogLibC.WDIOC_GETSUPPORT, info);
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        int options = b.getInt(0);
        int firmware = b.getInt(4);
        int end = 8;
        while (end < info.length && info[end] != 0) {
            end++;
        }
        WatchdogSupport support = new WatchdogSupport(options, firmware, new String(info, 8, end - 8, StandardCharsets.US_ASCII));
        keepAliveIoctl = support.hasKeepAlivePing();
        return support;
    }

    @Override
    public int setTimeout(int seconds) throws WatchdogException {
        int[] value = {seconds};
        ioctl("WDIOC_SETTIMEOUT", WatchdogLibC.WDIOC_SETTIMEOUT, value);
        return value[0];
    }

    @Override
    public int getTimeout() throws WatchdogException {
        int[] value = {0};
        ioctl("WDIOC_GETTIMEOUT", WatchdogLibC.WDIOC_GETTIMEOUT, value);
        return value[0];
    }

    @Override
    public void keepAlive() throws WatchdogException {
        if (keepAliveIoctl) {
            ioctl("WDIOC_KEEPALIVE", WatchdogLibC.WDIOC_KEEPALIVE, new int[]{0});
        } else {
            // Any byte but 'V' pings; '1' is what Patroni writes.
            write("keep-alive write", (byte) '1');
        }
    }

    @Override
    public void magicClose() throws WatchdogException {
        int open = requireOpen("magic close");
        try {
            write("magic close write of 'V'", (byte) 'V');
        } finally {
            fd = CLOSED;
            try {
                WatchdogLibC.INSTANCE.close(open);
            } catch (LastErrorException e) {
                throw failure("close", e);
            }
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    private void write(String what, byte b) throws WatchdogException {
        int open = requireOpen(what);
        try {
            WatchdogLibC.INSTANCE.write(open, new byte[]{b}, new NativeLong(1));
        } catch (LastErrorException e) {
            throw failure(what, e);
        }
    }

    private void ioctl(String name, long request, byte[] arg) throws WatchdogException {
        int open = requireOpen(name);
        try {
            WatchdogLibC.INSTANCE.ioctl(open, new NativeLong(request), arg);
        } catch (LastErrorException e) {
            throw failure("ioctl " + name, e);
        }
    }

    private void ioctl(String name, long request, int[] arg) throws WatchdogException {
        int open = requireOpen(name);
        try {
            WatchdogLibC.INSTANCE.ioctl(open, new NativeLong(request), arg);
        } catch (LastErrorException e) {
            throw failure("ioctl " + name, e);
        }
    }

    private int requireOpen(String what) throws WatchdogException {
        if (fd == CLOSED) {
            throw new WatchdogException("watchdog " + path + ": " + what + " needs the device open");
        }
        return fd;
    }

    private WatchdogException failure(String call, LastErrorException e) {
        return new WatchdogException("watchdog " + path + ": " + call + " failed: " + WatchdogLibC.describe(e.getErrorCode()));
    }
}
