package io.pgha.ha;

/** What one member answered when a primary without the DCS asked it to acknowledge it as leader ({@code POST /failsafe}). */
public sealed interface FailsafeAnswer {
    /**
     * 200 {@code Accepted}: the member will not race for the leader key until ttl after it received
     * the request. {@code lsn} is its received/replayed WAL position (0 when it sent none).
     */
    record Acknowledged(long lsn) implements FailsafeAnswer {
    }

    /** Anything else: refused (HTTP 500 "Running as a leader", 502 failsafe off, 401 …), no answer in time, bad api_url. */
    record NotAcknowledged(String reason) implements FailsafeAnswer {
    }
}
