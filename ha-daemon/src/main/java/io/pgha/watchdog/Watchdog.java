package io.pgha.watchdog;

import io.pgha.config.WatchdogConfig;
import io.pgha.config.WatchdogMode;
import io.pgha.dcs.MonotonicClock;
import io.pgha.node.WatchdogStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * When the watchdog runs and when it is pinged. It is a second fence behind {@code Fence}: if this
 * process freezes while PostgreSQL runs as primary, nothing pings the device and the kernel reboots
 * the host shortly before the lease can expire. Hence:
 * <ul>
 *   <li>it runs only while this node leads as primary (activated before acquiring the key or
 *       promoting, so a node never leads unguarded);</li>
 *   <li>it is pinged only after a successful lease renewal, never merely because the loop runs;</li>
 *   <li>it is stopped with a magic close when PostgreSQL no longer runs as primary, on pause and on a
 *       clean shutdown; a primary that lost its key but is still writable is not pinged and not
 *       stopped, so the reboot remains the last resort;</li>
 *   <li>mode {@code required}: a device that cannot be opened or does not grant a protecting timeout
 *       makes the node ineligible to lead ({@link #whyNotLeader()}); {@code automatic}: the node leads
 *       without it and says so; {@code off}: the device is never touched.</li>
 * </ul>
 * Called from the HA loop thread, and once at shutdown after the loop has stopped.
 */
public final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final WatchdogMode mode;
    private final WatchdogDevice device;
    private final MonotonicClock clock;
    private final Duration retryAfterFailure;

    private boolean open;
    private boolean pinging;
    private int wantedSeconds;
    private int grantedSeconds;
    private String failure = "";
    private long failedAtNanos;
    private String lastLogged = "";

    /**
     * @param retryAfterFailure how long a failed activation keeps a {@code required} node ineligible
     *                          before it may try again (a node that never tries could never recover)
     */
    public Watchdog(WatchdogMode mode, WatchdogDevice device, MonotonicClock clock, Duration retryAfterFailure) {
        this.mode = mode;
        this.device = device;
        this.clock = clock;
        this.retryAfterFailure = retryAfterFailure;
    }

    public static Watchdog of(WatchdogConfig config, MonotonicClock clock, Duration retryAfterFailure) {
        return new Watchdog(config.mode(), new LinuxWatchdogDevice(config.device()), clock, retryAfterFailure);
    }

    /** Empty when this node may lead as far as the watchdog is concerned; otherwise why not. */
    public synchronized Optional<String> whyNotLeader() {
        if (mode != WatchdogMode.REQUIRED || open) {
            return Optional.empty();
        }
        if (!failure.isEmpty() && clock.nanos() - failedAtNanos < retryAfterFailure.toNanos()) {
            return Optional.of("watchdog required but " + failure);
        }
        return device.problemBeforeOpen().map(p -> "watchdog required but " + p);
    }

    /**
     * Makes sure the device runs with {@code timeout} (ttl − safety_margin) before this node leads,
     * or keeps leading. Returns whether the node may lead: false only in mode {@code required} when
     * the device could not be made to protect it. Call it only in a cycle whose lease renewal
     * succeeded: resuming pings after a stand-down pings at once.
     */
    public synchronized boolean activate(Duration timeout, Duration loopWait) {
        if (mode == WatchdogMode.OFF) {
            return true;
        }
        int wanted = (int) timeout.toSeconds();
        try {
            if (!open) {
                device.open();
                open = true;
                configure(wanted, (int) loopWait.toSeconds());
                LOG.info("watchdog {} activated with a timeout of {} s", device.describe(), grantedSeconds);
            } else if (wanted != wantedSeconds) {
                configure(wanted, (int) loopWait.toSeconds());
                LOG.info("watchdog {} timeout changed to {} s", device.describe(), grantedSeconds);
            } else if (!pinging) {
                device.keepAlive();
            }
            pinging = true;
            failure = "";
            lastLogged = "";
            return true;
        } catch (WatchdogException e) {
            fail(e.getMessage());
            return mode != WatchdogMode.REQUIRED;
        }
    }

    /**
     * For a bootstrap, which takes the key only after initdb and a first start that may outlast the
     * timeout while the loop cannot ping: in mode {@code required}, proves the device can be set up
     * and stops it again; the loop starts it for real once the node leads as primary. Returns whether
     * the node may go ahead.
     */
    public synchronized boolean preflight(Duration timeout, Duration loopWait) {
        if (mode != WatchdogMode.REQUIRED || open) {
            return true;
        }
        if (!activate(timeout, loopWait)) {
            return false;
        }
        disable("checked before the bootstrap; started again once this node leads as primary");
        return true;
    }

    /** The lease was renewed: only now may the device be told that all is well. */
    public synchronized void leaseRenewed() {
        if (!open || !pinging) {
            return;
        }
        try {
            device.keepAlive();
        } catch (WatchdogException e) {
            // Not pinged: the device may reboot the host. Say so loudly; the next cycle retries.
            failure = e.getMessage();
            failedAtNanos = clock.nanos();
            LOG.error("watchdog keep-alive failed, the host may reboot in {} s: {}", grantedSeconds, e.getMessage());
        }
    }

    /**
     * This node no longer leads as a primary. A PostgreSQL that still accepts writes keeps the device
     * running unpinged (the reboot is then what stops it); otherwise it is stopped.
     */
    public synchronized void standDown(boolean stillWritable, String why) {
        if (!open) {
            return;
        }
        if (stillWritable) {
            if (pinging) {
                LOG.warn("watchdog {} no longer pinged ({}) while PostgreSQL still runs as primary: "
                        + "the host reboots within {} s unless it is demoted", device.describe(), why, grantedSeconds);
            }
            pinging = false;
            return;
        }
        disable(why);
    }

    /** Stops the device with a magic close: demoted, paused, or shutting down cleanly. */
    public synchronized void disable(String why) {
        if (!open) {
            return;
        }
        open = false;
        pinging = false;
        grantedSeconds = 0;
        wantedSeconds = 0;
        try {
            device.magicClose();
            LOG.info("watchdog {} disabled: {}", device.describe(), why);
        } catch (WatchdogException e) {
            LOG.error("watchdog could not be stopped ({}), the host may reboot: {}", why, e.getMessage());
        }
    }

    public synchronized WatchdogStatus status() {
        return new WatchdogStatus(mode.name().toLowerCase(Locale.ROOT), mode == WatchdogMode.OFF ? "" : device.describe(),
                open, open ? grantedSeconds : 0, whyNotLeader().isPresent(), failure);
    }

    private void configure(int wanted, int loopWait) throws WatchdogException {
        WatchdogSupport support = device.getSupport();
        int granted = support.canSetTimeout() ? device.setTimeout(wanted) : device.getTimeout();
        if (support.canSetTimeout()) {
            // Trust what the driver reports back in force, not only the SETTIMEOUT answer.
            granted = device.getTimeout();
        }
        if (granted > wanted) {
            throw new WatchdogException("watchdog " + device.describe() + " granted a timeout of " + granted
                    + " s, longer than ttl - safety_margin = " + wanted + " s: it would fire only after the lease expired"
                    + (support.canSetTimeout() ? "" : " (the driver cannot change its timeout)"));
        }
        if (granted < loopWait) {
            throw new WatchdogException("watchdog " + device.describe() + " granted a timeout of " + granted
                    + " s, shorter than loop_wait = " + loopWait + " s: it would reboot a healthy primary between renewals");
        }
        if (!support.hasMagicClose()) {
            LOG.warn("watchdog {} ({}) has no magic close: closing it always stops it, so a killed daemon is not covered,"
                    + " only a frozen one", device.describe(), support.identity());
        }
        wantedSeconds = wanted;
        grantedSeconds = granted;
    }

    private void fail(String why) {
        if (open) {
            try {
                device.magicClose();
            } catch (WatchdogException e) {
                why += "; and it could not be stopped again: " + e.getMessage();
            }
            open = false;
            pinging = false;
            grantedSeconds = 0;
            wantedSeconds = 0;
        }
        failure = why;
        failedAtNanos = clock.nanos();
        if (!why.equals(lastLogged)) {
            lastLogged = why;
            if (mode == WatchdogMode.REQUIRED) {
                LOG.error("watchdog required but not usable, this node will not lead: {}", why);
            } else {
                LOG.warn("watchdog not usable, leading without it (mode automatic): {}", why);
            }
        }
    }
}
