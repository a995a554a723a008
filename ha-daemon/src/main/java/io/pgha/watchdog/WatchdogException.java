package io.pgha.watchdog;

/** A watchdog device call failed; the message names the device, the call and the errno. */
public final class WatchdogException extends Exception {
    public WatchdogException(String message) {
        super(message);
    }
}
