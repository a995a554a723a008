package io.pgha.watchdog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JNA device against what exists on a machine without a watchdog: a missing path and a regular
 * file. The kernel answers ENOTTY to a watchdog ioctl on a regular file, which proves the calls reach
 * it with the right file descriptor; the bytes written land in the file.
 */
class LinuxWatchdogDeviceTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDeviceIsNamedWithItsErrno() {
        Path missing = dir.resolve("watchdog-missing");
        LinuxWatchdogDevice d = new LinuxWatchdogDevice(missing);
        assertThat(d.problemBeforeOpen()).hasValueSatisfying(p -> assertThat(p).contains(missing.toString(), "does not exist"));
        assertThatThrownBy(d::open).isInstanceOf(WatchdogException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("open failed")
                .hasMessageContaining("ENOENT, errno 2");
    }

    @Test
    void ioctlsReachTheKernelWhichSaysENOTTYForANonWatchdog() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-watchdog"));
        LinuxWatchdogDevice d = new LinuxWatchdogDevice(file);
        d.open();
        assertThatThrownBy(d::getSupport).hasMessageContaining(file.toString())
                .hasMessageContaining("ioctl WDIOC_GETSUPPORT failed").hasMessageContaining("ENOTTY, errno 25");
        assertThatThrownBy(() -> d.setTimeout(25)).hasMessageContaining("ioctl WDIOC_SETTIMEOUT failed").hasMessageContaining("ENOTTY");
        assertThatThrownBy(d::getTimeout).hasMessageContaining("ioctl WDIOC_GETTIMEOUT failed").hasMessageContaining("ENOTTY");
        d.magicClose();
    }

    @Test
    void keepAliveWritesAndMagicCloseWritesVThenCloses() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-watchdog"));
        LinuxWatchdogDevice d = new LinuxWatchdogDevice(file);
        d.open();
        d.keepAlive(); // GETSUPPORT never succeeded, so the ping is a write, which every driver accepts
        d.magicClose();
        assertThat(Files.readString(file)).isEqualTo("1V");
        assertThatThrownBy(d::keepAlive).hasMessageContaining("needs the device open");
        d.open(); // closed for real: it can be opened again
        d.magicClose();
    }

    @Test
    void anUnwritableDeviceIsNamed() throws Exception {
        Path dirAsDevice = Files.createDirectory(dir.resolve("a-directory"));
        LinuxWatchdogDevice d = new LinuxWatchdogDevice(dirAsDevice);
        assertThatThrownBy(d::open).hasMessageContaining(dirAsDevice.toString()).hasMessageContaining("EISDIR");
    }

    @Test
    void ioctlNumbersMatchLinuxWatchdogH() {
        // _IOC(dir, 'W', nr, size) = dir << 30 | size << 16 | 'W' << 8 | nr, with _IOC_READ 2 and _IOC_WRITE 1.
        assertThat(WatchdogLibC.WDIOC_GETSUPPORT).isEqualTo(2L << 30 | 40L << 16 | 'W' << 8 | 0);
        assertThat(WatchdogLibC.WDIOC_KEEPALIVE).isEqualTo(2L << 30 | 4L << 16 | 'W' << 8 | 5);
        assertThat(WatchdogLibC.WDIOC_SETTIMEOUT).isEqualTo(3L << 30 | 4L << 16 | 'W' << 8 | 6);
        assertThat(WatchdogLibC.WDIOC_GETTIMEOUT).isEqualTo(2L << 30 | 4L << 16 | 'W' << 8 | 7);
    }
}
