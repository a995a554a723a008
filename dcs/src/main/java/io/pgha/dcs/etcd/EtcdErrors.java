package io.pgha.dcs.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

import java.net.ConnectException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Sorts etcd failures into "try another endpoint / wait" and "retrying will not help". */
final class EtcdErrors {
    private EtcdErrors() {
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * An answer from etcd rather than a failure to reach it: authentication, permission, a
     * malformed request, a missing lease, a compacted revision. Another endpoint would say the same,
     * so the call must not rotate and retry until retry_timeout.
     */
    static boolean isDefinitive(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof EtcdException e) {
            ErrorCode code = e.getErrorCode();
            return DEFINITIVE_ETCD.contains(code) || messageIsAuthFailure(e.getMessage());
        }
        Status.Code code = Status.fromThrowable(c).getCode();
        return DEFINITIVE_GRPC.contains(code) || messageIsAuthFailure(c.getMessage());
    }

    private static final Set<ErrorCode> DEFINITIVE_ETCD = EnumSet.of(ErrorCode.PERMISSION_DENIED,
            ErrorCode.UNAUTHENTICATED, ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS,
            ErrorCode.FAILED_PRECONDITION, ErrorCode.OUT_OF_RANGE, ErrorCode.UNIMPLEMENTED);
    private static final Set<Status.Code> DEFINITIVE_GRPC = EnumSet.of(Status.Code.PERMISSION_DENIED,
            Status.Code.UNAUTHENTICATED, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS,
            Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE, Status.Code.UNIMPLEMENTED);

    /** The client could not even open a connection (refused, unreachable, connect timeout). */
    static boolean isConnectFailure(Throwable t) {
        for (Throwable c = unwrap(t); c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    static boolean isLeaseNotFound(Throwable t) {
        Throwable c = unwrap(t);
        return String.valueOf(c.getMessage()).contains("requested lease not found")
                || (c instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND);
    }

    /** Recovery for a lease call: "lease not found" becomes {@code value}, any other failure stays a failure. */
    static <T> Function<Throwable, T> whenLeaseNotFound(T value) {
        return t -> {
            if (isLeaseNotFound(t)) {
                return value;
            }
            throw t instanceof RuntimeException re ? re : new CompletionException(t);
        };
    }

    private static boolean messageIsAuthFailure(String message) {
        String m = String.valueOf(message);
        return m.contains("authentication failed") || m.contains("permission denied") || m.contains("user name is empty")
                || m.contains("invalid auth token");
    }

    static String describe(Throwable t) {
        Throwable c = unwrap(t);
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
