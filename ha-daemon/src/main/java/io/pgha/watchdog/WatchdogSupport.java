package io.pgha.watchdog;

/**
 * {@code struct watchdog_info} from linux/watchdog.h: {@code __u32 options; __u32 firmware_version;
 * __u8 identity[32];} (40 bytes).
 */
public record WatchdogSupport(int options, int firmwareVersion, String identity) {
    /** The driver accepts WDIOC_SETTIMEOUT. */
    public static final int WDIOF_SETTIMEOUT = 0x0080;
    /** The driver stops on close only after a {@code 'V'}; without it a close always stops it. */
    public static final int WDIOF_MAGICCLOSE = 0x0100;
    /** The driver accepts WDIOC_KEEPALIVE (otherwise only a write pings it). */
    public static final int WDIOF_KEEPALIVEPING = 0x8000;

    public boolean canSetTimeout() {
        return (options & WDIOF_SETTIMEOUT) != 0;
    }

    public boolean hasMagicClose() {
        return (options & WDIOF_MAGICCLOSE) != 0;
    }

    public boolean hasKeepAlivePing() {
        return (options & WDIOF_KEEPALIVEPING) != 0;
    }
}
