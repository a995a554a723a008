package io.pgha.vip.net;

/**
 * A kernel networking call failed. Carries errno (0 when the failure was not a system call) so a
 * caller can tell "already there" from "not permitted" without parsing text.
 */
public final class NetException extends RuntimeException {
    private final int errno;

    public NetException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public NetException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** What an operator needs to know when the answer is EPERM: which capability is missing. */
    static String permissionHint(int errno, String capability) {
        return errno == LibC.EPERM ? " (this needs " + capability + ")" : "";
    }
}
