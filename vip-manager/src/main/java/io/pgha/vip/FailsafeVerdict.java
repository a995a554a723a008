package io.pgha.vip;

/** The local HA daemon's answer to "are you the primary in failsafe mode?", with what it said. */
public record FailsafeVerdict(boolean affirmed, String detail) {
    public static FailsafeVerdict notAsked() {
        return new FailsafeVerdict(false, "not asked");
    }
}
