package io.pgha.ctl;

/**
 * The exit codes of every operator command (documented in the README), so scripts can tell "the
 * cluster said no" from "I could not reach the cluster".
 */
final class Exit {
    /** Done. */
    static final int OK = 0;
    /** The operation was attempted and failed, or was aborted at a prompt; the message says which. */
    static final int FAILED = 1;
    /** Bad input or wrong state (unknown member, schedule in the past, refused with 4xx): nothing changed. */
    static final int USAGE = 2;
    /** Neither the DCS nor any member's REST API answered. */
    static final int UNREACHABLE = 3;

    private Exit() {
    }
}
