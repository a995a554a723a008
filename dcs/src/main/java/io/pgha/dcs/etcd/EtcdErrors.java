package io.pgha.dcs.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

    /** Authentication, permission or a malformed request: the same call elsewhere fails the same way. */
    static boolean isRejection(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof EtcdException e) {
            ErrorCode code = e.getErrorCode();
            return code == ErrorCode.PERMISSION_DENIED || code == ErrorCode.UNAUTHENTICATED
                    || code == ErrorCode.INVALID_ARGUMENT || messageIsAuthFailure(e.getMessage());
        }
        Status.Code code = Status.fromThrowable(c).getCode();
        return code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED
                || code == Status.Code.INVALID_ARGUMENT || messageIsAuthFailure(c.getMessage());
    }

    static boolean isLeaseNotFound(Throwable t) {
        Throwable c = unwrap(t);
        return c instanceof EtcdException e && (e.getErrorCode() == ErrorCode.NOT_FOUND
                || String.valueOf(e.getMessage()).contains("requested lease not found"));
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
