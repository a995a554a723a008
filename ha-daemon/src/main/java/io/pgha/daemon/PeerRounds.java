package io.pgha.daemon;

import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.MemberData;
import io.pgha.dcs.model.Versioned;
import io.pgha.ha.Decision;
import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.PeerStatus;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The two rounds of questions a decision may send to the other members' REST APIs before it is final. */
final class PeerRounds {
    private final PghaConfig config;
    private final Peers peers;
    private final MemberReport report;

    PeerRounds(PghaConfig config, Peers peers, MemberReport report) {
        this.config = config;
        this.peers = peers;
        this.report = report;
    }

    /** {@code GET /patroni} to the members a would-be leader must compare itself with; who cannot be asked is unreachable. */
    Map<String, PeerStatus> askPeers(Cluster cluster, Decision.CheckPeers check, Timing timing) {
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> failsafeKey = cluster.failsafe().map(Versioned::value).orElse(Map.of());
        for (String name : check.peers()) {
            // A member whose key expired while the DCS was away is still named in the failsafe key.
            cluster.member(name).map(Member::data).map(MemberData::apiUrl).filter(u -> !u.isBlank())
                    .or(() -> Optional.ofNullable(failsafeKey.get(name))).ifPresent(u -> urls.put(name, u));
        }
        Duration timeout = timing.retryTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? timing.retryTimeout() : Duration.ofSeconds(2);
        Map<String, PeerStatus> answers = new LinkedHashMap<>(peers.ask(urls, timeout));
        for (String name : check.peers()) {
            answers.putIfAbsent(name, new PeerStatus.Unreachable("no api_url published"));
        }
        return answers;
    }

    /** {@code POST /failsafe} to the members the decision names, in parallel, within failsafe_timeout. */
    Map<String, FailsafeAnswer> confirmFailsafe(Decision.CheckFailsafe check, Duration failsafeTimeout) {
        JsonObject body = new JsonObject().put("name", config.name()).put("conn_url", report.connUrl()).put("api_url", report.apiUrl())
                .put("slots", new JsonObject());
        Optional<String> authorization = config.restapi().authentication().map(c -> "Basic " + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
        Map<String, FailsafeAnswer> answers = new LinkedHashMap<>(peers.confirmFailsafe(check.members(), body.encode(), authorization,
                failsafeTimeout));
        check.members().keySet().forEach(m -> answers.putIfAbsent(m, new FailsafeAnswer.NotAcknowledged("not asked")));
        return answers;
    }
}
