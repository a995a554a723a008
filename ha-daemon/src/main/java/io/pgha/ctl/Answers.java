package io.pgha.ctl;

/**
 * What a member's HTTP status means for the exit code. 4xx: the request was refused and nothing
 * changed (bad input, precondition, credentials) → {@link Exit#USAGE}. 404/405: the member's daemon
 * does not have the endpoint at all. 5xx: the operation was tried and failed → {@link Exit#FAILED}.
 */
final class Answers {
    private Answers() {
    }

    /** Returns the answer when it is a success (2xx), else throws the classified error. */
    static RestAnswer require(RestAnswer a, String what) {
        if (a.ok()) {
            return a;
        }
        throw error(a, what);
    }

    static CtlError error(RestAnswer a, String what) {
        int s = a.status();
        if (s == 404 || s == 405) {
            return CtlError.failed(what + ": the member has no such endpoint (HTTP " + s + ": " + a.reason()
                    + "); does it run an older pgha daemon?");
        }
        if (s == 401 || s == 403) {
            return CtlError.usage(what + " refused (HTTP " + s + ": " + a.reason()
                    + "); give the REST credentials with -c pgha.yml or --user/--password");
        }
        if (s / 100 == 4) {
            return CtlError.usage(what + " refused (HTTP " + s + "): " + a.reason() + "; nothing changed");
        }
        return CtlError.failed(what + " failed (HTTP " + s + "): " + a.reason());
    }
}
