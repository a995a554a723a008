package io.pgha.ctl;

/**
 * What a member's HTTP status means for the exit code. 4xx: the request was refused and nothing
 * changed (bad input, precondition, credentials, nothing scheduled) → {@link Exit#USAGE}. 405, or
 * 404 from the router: the member's daemon does not have the endpoint at all → {@link Exit#FAILED}. 5xx: the operation was tried and failed → {@link Exit#FAILED}.
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
        // The daemon's router says "no such endpoint" for a path it lacks; any other 404 is an
        // endpoint's own answer ("no switchover is scheduled"), i.e. a refusal.
        if (s == 405 || (s == 404 && (a.body() == null || a.body().isBlank() || a.body().startsWith("no such endpoint")))) {
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
