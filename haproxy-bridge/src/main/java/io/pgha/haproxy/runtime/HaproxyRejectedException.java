package io.pgha.haproxy.runtime;

/** HAProxy answered a command with an error ("No such server.", "Unknown command …"). */
public final class HaproxyRejectedException extends RuntimeException {
    public HaproxyRejectedException(String command, String answer) {
        super("HAProxy refused \"" + command + "\": " + answer.strip());
    }
}
