package io.pgha.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;

/**
 * An action sent to several members one after another (restart, reload, reinit): each member's
 * outcome is printed as it comes, and the exit code says whether all succeeded.
 */
final class PerMember {
    interface Call {
        RestAnswer send() throws InterruptedException;
    }

    private final String action;
    private final PrintWriter progress;
    private final JsonArray results = new JsonArray();
    private int failed;
    private int refused;
    private int unreachable;

    PerMember(String action, PrintWriter progress) {
        this.action = action;
        this.progress = progress;
    }

    void attempt(MemberRow m, Call call) throws InterruptedException {
        JsonObject r = new JsonObject().put("member", m.name());
        try {
            RestAnswer a = call.send();
            r.put("status", a.status()).put("result", a.body() == null ? "" : a.body().strip());
            if (a.ok()) {
                progress.println(m.name() + ": " + a.reason());
                r.put("ok", true);
            } else {
                CtlError e = Answers.error(a, action + " on " + m.name());
                progress.println(m.name() + ": " + e.getMessage());
                r.put("ok", false);
                if (e.exit() == Exit.USAGE) {
                    refused++;
                } else {
                    failed++;
                }
            }
        } catch (RestClient.Unreachable e) {
            progress.println(m.name() + ": did not answer: " + e.getMessage());
            r.put("status", null).put("result", "unreachable: " + e.getMessage()).put("ok", false);
            unreachable++;
        }
        progress.flush();
        results.add(r);
    }

    /**
     * 0 when every member succeeded; 3 when none answered; 2 when the only failures were refusals
     * (nothing changed on those members); else 1.
     */
    int finish(PrintWriter out, boolean json) {
        if (json) {
            out.println(new JsonObject().put("members", results).encode());
        }
        if (unreachable == results.size()) {
            throw CtlError.unreachable(action + ": no member answered");
        }
        if (failed + unreachable > 0) {
            throw CtlError.failed(action + " failed on " + (failed + unreachable + refused) + " of " + results.size() + " member(s)");
        }
        if (refused > 0) {
            throw CtlError.usage(action + " refused on " + refused + " of " + results.size() + " member(s)");
        }
        return Exit.OK;
    }
}
