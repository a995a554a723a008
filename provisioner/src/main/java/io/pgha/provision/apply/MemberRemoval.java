package io.pgha.provision.apply;

import io.pgha.provision.transport.Transport;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static io.pgha.provision.transport.Shell.quote;

/**
 * Takes one member out of its cluster without a failover and never leaving the cluster without a
 * primary: a leader first hands the role to a streaming replica (the members' own switchover),
 * then the member's units stop (the daemon stops PostgreSQL and gives up its DCS key) and are
 * disabled. Its data directory stays where it is.
 */
public final class MemberRemoval {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);
    /** Stopped in this order: traffic first, the daemon (and with it PostgreSQL) last. */
    private static final List<String> UNITS = List.of("pgha-haproxy.service", "haproxy.service", "pgha-vip.service", "pgha.service");

    private final Transport host;
    private final boolean systemd;
    private final Consumer<String> progress;

    public MemberRemoval(Transport host, boolean systemd, Consumer<String> progress) {
        this.host = host;
        this.systemd = systemd;
        this.progress = progress;
    }

    /** A member as GET /cluster lists it. */
    record Member(String name, String role, String state, String apiUrl) {
        boolean leads() {
            return role.equals("leader") || role.equals("standby_leader");
        }
    }

    /** Removes {@code member}, whose REST API is at {@code api} (http://host:port); returns what was done. */
    public List<String> remove(String member, String api, Duration timeout) {
        List<String> done = new ArrayList<>();
        List<Member> members = members(api);
        Member me = members.stream().filter(m -> m.name().equals(member)).findFirst()
                .orElseThrow(() -> new ApplyException(member + " is not a member of its cluster (GET " + api + "/cluster lists "
                        + members.stream().map(Member::name).toList() + "); nothing to remove"));
        if (me.leads()) {
            Member candidate = members.stream().filter(m -> !m.leads() && m.state().equals("streaming")).findFirst()
                    .orElseThrow(() -> new ApplyException(member + " is the primary and no other member streams from it:"
                            + " removing it would leave the cluster without a primary; nothing was changed"));
            progress.accept("switchover " + member + " → " + candidate.name());
            JsonObject body = new JsonObject().put("leader", member).put("candidate", candidate.name());
            // The reply's text says why a switchover was refused: keep it (no -f), the status code on the last line.
            Transport.Exec r = host.run("curl -sS -w '\\n%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @- "
                    + quote(api + "/switchover"), Optional.of(body.encode().getBytes(StandardCharsets.UTF_8)), STEP);
            String reply = r.stdout().strip();
            if (!r.ok() || !reply.endsWith("200")) {
                throw new ApplyException(host.host() + ": switchover to " + candidate.name() + " refused: "
                        + (reply + " " + r.stderr()).strip().replace("\n", " / "));
            }
            await("leader " + candidate.name(), timeout, () -> members(api).stream().anyMatch(m -> m.name().equals(candidate.name()) && m.leads()));
            done.add("switched over to " + candidate.name());
        }
        String otherApi = members.stream().filter(m -> !m.name().equals(member)).map(Member::apiUrl).findFirst()
                .map(MemberRemoval::base).orElse(api);
        for (String unit : UNITS) {
            progress.accept("stop " + unit);
            String q = quote(unit);
            Transport.Exec r = host.run(systemd ? "systemctl disable --now " + q
                    : "command -v pgha >/dev/null && pgha unit disable " + q + " && pgha unit stop " + q, STEP);
            if (!r.ok()) {
                throw new ApplyException(host.host() + ": stopping " + unit + " failed: " + (r.stdout() + r.stderr()).strip());
            }
        }
        done.add("stopped and disabled " + String.join(", ", UNITS));
        if (members.size() > 1) {
            // The daemon revokes its lease when it stops: its member key goes with it.
            await(member + " gone from the cluster", timeout, () -> members(otherApi).stream().noneMatch(m -> m.name().equals(member)));
            done.add("member key gone");
        }
        return done;
    }

    List<Member> members(String api) {
        Transport.Exec r = host.run("curl -sS -f --max-time 5 " + quote(api + "/cluster"), STEP);
        if (!r.ok()) {
            throw new ApplyException(host.host() + ": GET " + api + "/cluster failed: " + (r.stdout() + r.stderr()).strip());
        }
        try {
            JsonArray list = new JsonObject(r.stdout()).getJsonArray("members", new JsonArray());
            List<Member> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonObject m = list.getJsonObject(i);
                out.add(new Member(m.getString("name", ""), m.getString("role", ""), m.getString("state", ""), m.getString("api_url", "")));
            }
            return out;
        } catch (DecodeException | ClassCastException e) {
            throw new ApplyException(host.host() + ": GET " + api + "/cluster is not the members' JSON: " + e.getMessage());
        }
    }

    /** http://10.0.0.1:8008/patroni → http://10.0.0.1:8008 */
    static String base(String apiUrl) {
        int slash = apiUrl.indexOf('/', apiUrl.indexOf("//") + 2);
        return slash < 0 ? apiUrl : apiUrl.substring(0, slash);
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        if (!Poll.until(timeout, POLL, done)) {
            throw new ApplyException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }
}
