package io.pgha.dcs.model;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One consistent view of a cluster's keys, read at {@code revision}. Immutable: the HA core decides
 * on a snapshot, never on keys that change under it.
 *
 * <p>A malformed value does not make the whole snapshot unreadable — one bad member key must not
 * stop failover — so it is left out and described in {@link #problems()} for the caller to log.
 */
public record Cluster(
        long revision,
        Optional<Versioned<String>> initialize,
        Optional<Versioned<String>> config,
        Optional<Leader> leader,
        Optional<Versioned<ClusterStatus>> status,
        Map<String, Member> members,
        Optional<Versioned<FailoverRequest>> failover,
        Optional<Versioned<SyncState>> sync,
        Optional<Versioned<List<HistoryEntry>>> history,
        Optional<Versioned<Map<String, String>>> failsafe,
        List<String> problems,
        Optional<Versioned<String>> backup) {

    public Cluster {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        problems = List.copyOf(problems);
    }

    public static Cluster empty(long revision) {
        return new Cluster(revision, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    /** Builds the snapshot from the raw keys under {@code layout.prefix()}, whatever backend read them. */
    public static Cluster fromEntries(KeyLayout layout, List<RawEntry> entries, long revision) {
        Builder b = new Builder(revision);
        for (RawEntry e : entries) {
            layout.classify(e.key()).ifPresent(ref -> b.add(ref, e));
        }
        return b.build();
    }

    public boolean hasLeader() {
        return leader.isPresent();
    }

    public Optional<String> leaderName() {
        return leader.map(Leader::name);
    }

    public boolean isLeader(String member) {
        return leader.map(l -> l.name().equals(member)).orElse(false);
    }

    public Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** The dynamic configuration as JSON (a fresh copy), empty when the key is missing. */
    public Optional<JsonObject> configJson() {
        return config.map(v -> new JsonObject(v.value()));
    }

    /**
     * How {@code name} leads now, if it holds the leader key and has published the role a leader
     * has: "primary", or "standby leader" in a standby cluster. Empty while it holds the key
     * without that role yet (promoting), or does not hold it. What a switchover waits for.
     */
    public Optional<String> leadsAs(String name) {
        if (!leaderName().filter(name::equals).isPresent()) {
            return Optional.empty();
        }
        return member(name).flatMap(m -> m.data().isPrimaryRole() ? Optional.of("primary")
                : standbyCluster().isPresent() && "standby_leader".equals(m.data().role()) ? Optional.of("standby leader") : Optional.empty());
    }

    /**
     * The {@code standby_cluster} section of the dynamic config, when the cluster replicates from a
     * primary elsewhere; empty when absent, empty ({@code {}} is how Patroni's tools unset it) or unreadable.
     */
    public Optional<JsonObject> standbyCluster() {
        try {
            return configJson().map(c -> c.getValue("standby_cluster")).filter(v -> v instanceof JsonObject o && !o.isEmpty())
                    .map(v -> (JsonObject) v);
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    /** The leader's last published WAL position, 0 if unknown. */
    public long optime() {
        return status.map(s -> s.value().optime()).orElse(0L);
    }

    public SyncState syncState() {
        return sync.map(Versioned::value).orElse(SyncState.EMPTY);
    }

    public FailoverRequest failoverRequest() {
        return failover.map(Versioned::value).orElse(FailoverRequest.NONE);
    }

    /** The cluster's current timeline as the history records it (last switch + 1), 0 if unknown. */
    public long timelineFromHistory() {
        return history.map(h -> h.value().isEmpty() ? 0L : h.value().get(h.value().size() - 1).timeline() + 1).orElse(0L);
    }

    /**
     * The timeline the latest {@code pgha restore --replace} started, if the history records one:
     * data on an older timeline is from before the restore, which the operator wanted gone.
     */
    public OptionalLong restoredTimeline() {
        return history.map(h -> h.value().stream().filter(HistoryEntry::isRestore).mapToLong(e -> e.timeline() + 1).max())
                .orElse(OptionalLong.empty());
    }

    /**
     * The highest timeline anyone is known to have used or claimed: the history, the leader's
     * claim in the status key, and every member's own report. A promotion must go above it.
     */
    public long highestTimelineKnown() {
        long highest = Math.max(timelineFromHistory(), status.map(s -> s.value().timeline()).orElse(0L));
        for (Member m : members.values()) {
            highest = Math.max(highest, m.data().timeline().orElse(0L));
        }
        return highest;
    }

    private static final class Builder {
        private final long revision;
        private Optional<Versioned<String>> initialize = Optional.empty();
        private Optional<Versioned<String>> config = Optional.empty();
        private Optional<Leader> leader = Optional.empty();
        private Optional<Versioned<ClusterStatus>> status = Optional.empty();
        private final Map<String, Member> members = new TreeMap<>();
        private Optional<Versioned<FailoverRequest>> failover = Optional.empty();
        private Optional<Versioned<SyncState>> sync = Optional.empty();
        private Optional<Versioned<List<HistoryEntry>>> history = Optional.empty();
        private Optional<Versioned<Map<String, String>>> failsafe = Optional.empty();
        private Optional<Versioned<String>> backup = Optional.empty();
        private final List<String> problems = new ArrayList<>();

        Builder(long revision) {
            this.revision = revision;
        }

        void add(KeyLayout.KeyRef ref, RawEntry e) {
            try {
                if (ref instanceof KeyLayout.KeyRef.LeaderKey) {
                    leader = Optional.of(new Leader(e.value().trim(), e.version(), e.lease()));
                } else if (ref instanceof KeyLayout.KeyRef.MemberKey m) {
                    members.put(m.name(), new Member(m.name(), MemberData.parse(m.name(), e.value()), e.version(), e.lease()));
                } else if (ref instanceof KeyLayout.KeyRef.Shared s) {
                    switch (s.key()) {
                        case INITIALIZE -> initialize = Optional.of(new Versioned<>(e.value(), e.version()));
                        case CONFIG -> {
                            Json.object("config", e.value()); // validate only; kept as text
                            config = Optional.of(new Versioned<>(e.value(), e.version()));
                        }
                        case STATUS -> status = versioned(e, ClusterStatus::parse);
                        case FAILOVER -> failover = versioned(e, FailoverRequest::parse);
                        case SYNC -> sync = versioned(e, SyncState::parse);
                        case HISTORY -> history = versioned(e, HistoryEntry::parseAll);
                        case FAILSAFE -> failsafe = versioned(e, Cluster::parseFailsafe);
                        case BACKUP -> backup = Optional.of(new Versioned<>(e.value(), e.version())); // the backup package reads it
                        case OPTIME_LEADER -> {
                            // legacy; the status key supersedes it
                        }
                    }
                }
            } catch (MalformedValueException ex) {
                problems.add(ex.getMessage());
            }
        }

        private static <T> Optional<Versioned<T>> versioned(RawEntry e, Function<String, T> parser) {
            return Optional.of(new Versioned<>(parser.apply(e.value()), e.version()));
        }

        Cluster build() {
            return new Cluster(revision, initialize, config, leader, status, members, failover, sync, history, failsafe, problems, backup);
        }
    }

    private static Map<String, String> parseFailsafe(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        JsonObject o = Json.object("failsafe", text);
        Map<String, String> out = new TreeMap<>();
        o.forEach(en -> {
            if (!(en.getValue() instanceof String url)) {
                throw new MalformedValueException("failsafe." + en.getKey() + ": expected the member's api_url, got " + Json.describe(en.getValue()));
            }
            out.put(en.getKey(), url);
        });
        return Collections.unmodifiableMap(out);
    }
}
