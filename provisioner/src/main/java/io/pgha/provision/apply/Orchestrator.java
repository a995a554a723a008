package io.pgha.provision.apply;

import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.HostDesired;
import io.pgha.provision.plan.Observed;
import io.pgha.provision.plan.Planner;
import io.pgha.provision.transport.Transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs the steps of a plan or an apply over the hosts' transports and reports per host. */
public final class Orchestrator {
    private static final Duration QUERY = Duration.ofSeconds(60);
    /** How often a health check is retried: the checks are cheap, and each try is one SSH command. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

    private final Function<String, Transport> transports;
    private final Progress progress;

    public Orchestrator(Function<String, Transport> transports, Progress progress) {
        this.transports = transports;
        this.progress = progress;
    }

    /** Every step's changes, host by host, changing nothing. */
    public Map<String, List<Change>> plan(List<Step> steps) {
        Map<String, List<Change>> out = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.HostStep h) {
                for (HostDesired d : h.hosts()) {
                    progress.update(d.host(), "reading (" + s.name() + ")");
                    out.computeIfAbsent(d.host(), k -> new ArrayList<>()).addAll(HostReader.plan(transports.apply(d.host()), d));
                    progress.update(d.host(), "read");
                }
            } else if (s instanceof Step.QueryStep q) {
                out.computeIfAbsent(q.host(), k -> new ArrayList<>()).addAll(q.plan().apply(query(q, false)));
            }
        }
        return out;
    }

    /** Applies step by step; stops at the first failed step or health check (ApplyException). */
    public Map<String, Applied> apply(List<Step> steps, ApplyOptions options) {
        Map<String, Applied> done = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.HostStep h) {
                List<HostDesired> hosts = h.hosts();
                if (h.parallel() && hosts.size() > 1) {
                    ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
                    try {
                        List<Future<Applied>> futures = new ArrayList<>();
                        for (HostDesired d : hosts) {
                            futures.add(pool.submit(() -> applyHost(s.name(), d, options)));
                        }
                        List<ApplyException> failed = new ArrayList<>();
                        for (int i = 0; i < futures.size(); i++) {
                            try {
                                merge(done, hosts.get(i).host(), futures.get(i).get());
                            } catch (ExecutionException e) {
                                failed.add(e.getCause() instanceof ApplyException a ? a : new ApplyException(hosts.get(i).host() + ": " + e.getCause()));
                            }
                        }
                        if (!failed.isEmpty()) {
                            throw new ApplyException(String.join("; ", failed.stream().map(Throwable::getMessage).toList()));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ApplyException("interrupted during " + s.name());
                    } finally {
                        pool.shutdownNow();
                    }
                } else {
                    for (HostDesired d : hosts) {
                        merge(done, d.host(), applyHost(s.name(), d, options));
                    }
                }
            } else if (s instanceof Step.QueryStep q) {
                List<Change> changes = q.plan().apply(query(q, true));
                HostApplier applier = new HostApplier(transports.apply(q.host()), false, options, line -> progress.update(q.host(), line));
                List<String> made = new ArrayList<>();
                for (Change c : changes) {
                    applier.apply(c);
                    made.add(c.summary());
                }
                merge(done, q.host(), new Applied(made, List.of()));
            }
            awaitChecks(s);
        }
        return done;
    }

    private Applied applyHost(String step, HostDesired d, ApplyOptions options) {
        Transport t = transports.apply(d.host());
        progress.update(d.host(), step + ": reading");
        Observed have = HostReader.read(t, d);
        List<Change> changes = Planner.plan(d, have);
        HostApplier applier = new HostApplier(t, have.systemd(), options, line -> progress.update(d.host(), step + ": " + line));
        List<String> made = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (Change c : changes) {
            (applier.apply(c) ? made : pending).add(c.summary());
        }
        progress.update(d.host(), step + ": " + made.size() + " change(s)");
        return new Applied(made, pending);
    }

    /**
     * What the primary holds. A plan may run before PostgreSQL exists, so a failed query reads as an
     * empty database there; apply's SQL step comes after the primary answered, so there it is an error.
     */
    private String query(Step.QueryStep q, boolean mustAnswer) {
        Transport.Exec r = transports.apply(q.host()).run(q.query(), Optional.empty(), QUERY);
        if (r.ok()) {
            return r.stdout();
        }
        if (mustAnswer) {
            throw new ApplyException(q.host() + ": " + q.name() + ": reading what it holds failed: " + r.stderr().strip());
        }
        return "";
    }

    private void awaitChecks(Step s) {
        for (Step.HealthCheck c : s.checks()) {
            progress.update(c.host(), "waiting: " + c.what());
            Transport t = transports.apply(c.host());
            if (!Poll.until(c.timeout(), CHECK_INTERVAL, () -> t.run(c.command(), Duration.ofSeconds(10)).ok())) {
                throw new ApplyException(c.host() + ": " + c.what() + " not reached within " + c.timeout().toSeconds() + " s after " + s.name());
            }
            progress.update(c.host(), c.what());
        }
    }

    private static void merge(Map<String, Applied> done, String host, Applied a) {
        done.merge(host, a, Applied::plus);
    }

    /** What apply changed on a host, and what it left for --restart. */
    public record Applied(List<String> made, List<String> pending) {
        Applied plus(Applied o) {
            List<String> m = new ArrayList<>(made);
            m.addAll(o.made);
            List<String> p = new ArrayList<>(pending);
            p.addAll(o.pending);
            return new Applied(m, p);
        }
    }
}
