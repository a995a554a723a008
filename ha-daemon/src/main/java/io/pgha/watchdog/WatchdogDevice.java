package io.pgha.watchdog;

import java.util.Optional;

/**
 * One watchdog device, with the semantics of the Linux watchdog API
 * (Documentation/watchdog/watchdog-api.rst): opening it starts the countdown, every keep-alive
 * restarts it, and only a magic close ({@code 'V'} written before close) stops it; a plain close,
 * or the death of the process holding it, leaves it counting down to a reboot. A device is open by
 * at most one process at a time.
 */
public interface WatchdogDevice {
    /**
     * What is wrong that can be seen without opening the device (opening would start it), e.g. a
     * missing or unwritable path; empty when it looks usable.
     */
    Optional<String> problemBeforeOpen();

    /** Opens the device, which starts its countdown. Fails when it is missing, not writable or already open. */
    void open() throws WatchdogException;

    /** WDIOC_GETSUPPORT: what the driver can do. */
    WatchdogSupport getSupport() throws WatchdogException;

    /** WDIOC_SETTIMEOUT: asks for {@code seconds}; returns what the driver granted (it may round). */
    int setTimeout(int seconds) throws WatchdogException;

    /** WDIOC_GETTIMEOUT: the timeout in force. */
    int getTimeout() throws WatchdogException;

    /** Restarts the countdown. */
    void keepAlive() throws WatchdogException;

    /** Writes {@code 'V'} and closes: the driver stops the countdown (unless built with nowayout). */
    void magicClose() throws WatchdogException;

    /** The device path, for messages. */
    String describe();
}
