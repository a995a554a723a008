package io.pgha.watchdog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A test double of a Linux watchdog device, for machines without one (no softdog here). It follows
 * the kernel's documented behaviour (Documentation/watchdog/watchdog-api.rst, watchdog_dev.c):
 * <ul>
 *   <li>open starts the countdown with the current timeout; a second open while open is EBUSY;</li>
 *   <li>WDIOC_SETTIMEOUT outside [min, max] is EINVAL; otherwise the driver may round up to its
 *       granularity, answers the granted value and pings;</li>
 *   <li>a keep-alive restarts the countdown;</li>
 *   <li>close after {@code 'V'} stops it; close without it leaves it running ("watchdog did not stop!");</li>
 *   <li>it "fires" (the host would reboot) when running and not pinged within the timeout.</li>
 * </ul>
 * Every call is recorded, in order, in {@link #events()}.
 */
final class WatchdogDeviceDouble implements WatchdogDevice {
    private final LongSupplier nanos;
    private final List<String> events = new ArrayList<>();
    private int options = WatchdogSupport.WDIOF_SETTIMEOUT | WatchdogSupport.WDIOF_MAGICCLOSE | WatchdogSupport.WDIOF_KEEPALIVEPING;
    private int minTimeout = 1;
    private int maxTimeout = 65535;
    private int granularity = 1;
    private int timeout = 60;
    private String openError = "";
    private boolean open;
    private boolean running;
    private long lastPingNanos;
    private long firedAtNanos = -1;

    WatchdogDeviceDouble(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Opening fails with this errno text, as a missing or busy device would. */
    WatchdogDeviceDouble failingOpen(String error) {
        this.openError = error;
        return this;
    }

    /** A driver that only knows timeouts in whole multiples of {@code seconds} (rounding up). */
    WatchdogDeviceDouble granularity(int seconds) {
        this.granularity = seconds;
        return this;
    }

    WatchdogDeviceDouble range(int min, int max) {
        this.minTimeout = min;
        this.maxTimeout = max;
        return this;
    }

    WatchdogDeviceDouble withoutSetTimeout(int fixedTimeout) {
        this.options &= ~WatchdogSupport.WDIOF_SETTIMEOUT;
        this.timeout = fixedTimeout;
        return this;
    }

    @Override
    public Optional<String> problemBeforeOpen() {
        return openError.isEmpty() ? Optional.empty() : Optional.of("double: " + openError);
    }

    @Override
    public void open() throws WatchdogException {
        check();
        if (!openError.isEmpty()) {
            events.add("open refused: " + openError);
            throw new WatchdogException("watchdog double: open failed: " + openError);
        }
        if (open) {
            events.add("open refused: busy");
            throw new WatchdogException("watchdog double: open failed: Device or resource busy (EBUSY, errno 16)");
        }
        open = true;
        running = true;
        lastPingNanos = nanos.getAsLong();
        events.add("open");
    }

    @Override
    public WatchdogSupport getSupport() throws WatchdogException {
        requireOpen();
        return new WatchdogSupport(options, 0, "Watchdog Double");
    }

    @Override
    public int setTimeout(int seconds) throws WatchdogException {
        requireOpen();
        if ((options & WatchdogSupport.WDIOF_SETTIMEOUT) == 0) {
            throw new WatchdogException("watchdog double: ioctl WDIOC_SETTIMEOUT failed: Operation not supported (EOPNOTSUPP, errno 95)");
        }
        if (seconds < minTimeout || seconds > maxTimeout) {
            events.add("settimeout " + seconds + " refused");
            throw new WatchdogException("watchdog double: ioctl WDIOC_SETTIMEOUT failed: Invalid argument (EINVAL, errno 22)");
        }
        timeout = (seconds + granularity - 1) / granularity * granularity;
        ping();
        events.add("settimeout " + seconds + " -> " + timeout);
        return timeout;
    }

    @Override
    public int getTimeout() throws WatchdogException {
        requireOpen();
        return timeout;
    }

    @Override
    public void keepAlive() throws WatchdogException {
        requireOpen();
        ping();
        events.add("ping");
    }

    @Override
    public void magicClose() throws WatchdogException {
        requireOpen();
        open = false;
        running = false;
        events.add("magic close");
    }

    /** The daemon died without a magic close: the kernel closes the fd and the countdown goes on. */
    void closeWithoutMagic() {
        open = false;
        events.add("close without magic");
    }

    @Override
    public String describe() {
        return "double";
    }

    /** Whether the countdown ran out by now: the host would have rebooted. */
    boolean fired() {
        check();
        return firedAtNanos >= 0;
    }

    boolean isOpen() {
        return open;
    }

    boolean isRunning() {
        check();
        return running;
    }

    int timeout() {
        return timeout;
    }

    List<String> events() {
        return List.copyOf(events);
    }

    long pings() {
        return events.stream().filter("ping"::equals).count();
    }

    private void ping() {
        check();
        lastPingNanos = nanos.getAsLong();
    }

    private void check() {
        if (running && firedAtNanos < 0 && nanos.getAsLong() - lastPingNanos >= timeout * 1_000_000_000L) {
            firedAtNanos = lastPingNanos + timeout * 1_000_000_000L;
            running = false;
            events.add("fired");
        }
    }

    private void requireOpen() throws WatchdogException {
        check();
        if (!open) {
            throw new WatchdogException("watchdog double: not open (EBADF)");
        }
    }
}
