package io.pgha.provision.apply;

import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.HostDesired;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One stage of apply, in the order the inventory demands: DCS members, the primary, the replicas,
 * the VIP and HAProxy bridge, users and databases. A stage's hosts are planned and changed (in
 * parallel when {@code parallel}), then its health checks must pass before the next stage starts.
 */
public sealed interface Step {
    String name();

    List<HealthCheck> checks();

    /** Files, packages and units on some hosts. */
    record HostStep(String name, List<HostDesired> hosts, boolean parallel, List<HealthCheck> checks) implements Step {
        public HostStep {
            hosts = List.copyOf(hosts);
            checks = List.copyOf(checks);
        }
    }

    /**
     * State kept in a service rather than in files, changed from one host: {@code query} is run first
     * (its stdout is what the service holds, e.g. the primary's roles and databases; empty when the
     * service is not up yet) and {@code plan} turns it into changes.
     */
    record QueryStep(String name, String host, String query, Function<String, List<Change>> plan, List<HealthCheck> checks) implements Step {
        public QueryStep {
            checks = List.copyOf(checks);
        }
    }

    /** A command run on a host until it exits 0, e.g. the REST API answering /primary. */
    record HealthCheck(String host, String what, String command, Duration timeout) {
    }
}
