package io.pgha.dcs.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import javax.net.ssl.SSLException;

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

    /**
     * Why the TLS handshake failed, when it did: a certificate problem is configuration, the same
     * on every endpoint and on every retry, so it is a rejection to report, not an outage to wait out.
     */
    static Optional<String> tlsFailure(Throwable t) {
        String messages = "";
        boolean tls = false;
        for (Throwable c = unwrap(t); c != null; c = c.getCause() == c ? null : c.getCause()) {
            tls |= c instanceof SSLException || c instanceof CertificateException || c instanceof CertPathValidatorException;
            if (c instanceof CertificateExpiredException) {
                return Optional.of("a certificate has expired (" + oneLine(c.getMessage()) + ")");
            }
            messages += " | " + c.getMessage();
        }
        if (!tls) {
            return Optional.empty();
        }
        if (messages.contains("No subject alternative") || messages.contains("No name matching")) {
            return Optional.of("etcd's certificate does not name the host we connect to (hostname mismatch: "
                    + firstMatching(messages, "No ") + ")");
        }
        if (messages.contains("PKIX path") || messages.contains("unable to find valid certification path")
                || messages.contains("signature check failed")) {
            return Optional.of("etcd's certificate is not signed by the CA in etcd3.cacert (wrong CA)");
        }
        if (messages.contains("certificate_expired") || messages.contains("NotAfter") || messages.contains("validity check failed")) {
            return Optional.of("a certificate has expired" + (messages.contains("certificate_expired")
                    ? ": etcd refused our client certificate (etcd3.cert) as expired" : ""));
        }
        if (messages.contains("bad_certificate") || messages.contains("certificate_required") || messages.contains("unknown_ca")
                || messages.contains("certificate_unknown")) {
            // etcd (Go) sends the same alert for every reason, so name them all.
            return Optional.of("etcd refused our client certificate (etcd3.cert: expired, not issued by a CA etcd trusts,"
                    + " or not for client auth): " + firstMatching(messages, "alert"));
        }
        return Optional.of("TLS handshake failed: " + firstMatching(messages, ""));
    }

    private static String firstMatching(String messages, String needle) {
        for (String part : messages.split(" \\| ")) {
            if (!part.isBlank() && !part.equals("null") && part.contains(needle)) {
                return oneLine(part);
            }
        }
        return "no detail";
    }

    private static String oneLine(String m) {
        return m == null ? "" : m.lines().findFirst().orElse("");
    }

    static String describe(Throwable t) {
        Throwable c = unwrap(t);
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
