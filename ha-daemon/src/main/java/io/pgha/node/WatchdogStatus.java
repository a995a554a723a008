package io.pgha.node;

/**
 * The watchdog as REST and metrics show it.
 *
 * @param mode           off, automatic or required
 * @param active         the device is open and counting down
 * @param timeoutSeconds the timeout the device granted (0 when not active)
 * @param failed         mode required and the device unusable: this node may not lead (Patroni's {@code watchdog_failed})
 * @param problem        the last thing that went wrong with the device, in words ("" when nothing)
 */
public record WatchdogStatus(String mode, String device, boolean active, long timeoutSeconds, boolean failed, String problem) {
    public static final WatchdogStatus OFF = new WatchdogStatus("off", "", false, 0, false, "");
}
