package io.pgha.demo;

import io.pgha.config.Etcd3Config;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows the DCS contract on the demo's etcd: three members race for the leader key, the leader
 * "dies" (stops renewing), the others learn of it from the watch and one takes over, and a stale
 * compare-and-swap is refused. It cleans up its scope afterwards.
 */
final class DcsWalkthrough {
    private final List<String> endpoints;
    private final PrintStream out;

    DcsWalkthrough(List<String> endpoints, PrintStream out) {
        this.endpoints = endpoints;
        this.out = out;
    }

    void run() throws InterruptedException {
        KeyLayout layout = new KeyLayout("/service", "dcs-walkthrough");
        Etcd3Config etcd = Etcd3Config.plain(endpoints.stream().map(URI::create).toList());
        Duration retryTimeout = Duration.ofSeconds(3);
        ScheduledExecutorService renewals = Executors.newScheduledThreadPool(3);
        List<Dcs> clients = new ArrayList<>();
        List<MemberSession> sessions = new ArrayList<>();
        try {
            Dcs observer = Dcs.open(layout, etcd, retryTimeout);
            clients.add(observer);
            observer.wipe();
            for (String name : List.of("node1", "node2", "node3")) {
                Dcs dcs = Dcs.open(layout, etcd, retryTimeout);
                clients.add(dcs);
                MemberSession s = dcs.openSession(name, 2);
                s.publish(member(name));
                sessions.add(s);
            }
            out.printf("  %d members hold leases of %d s each%n", sessions.size(), sessions.get(0).lease().ttl().toSeconds());

            MemberSession leader = race(sessions);
            out.printf("  leader race: %s won the create-if-absent transaction; the others lost it%n", leader.member());

            BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
            long revision = observer.read(Consistency.LINEARIZABLE).revision();
            try (ClusterWatch watch = observer.watch(revision, events::add)) {
                for (MemberSession s : sessions) {
                    if (s != leader) {
                        renewals.scheduleAtFixedRate(() -> {
                            try {
                                s.renew();
                            } catch (RuntimeException e) {
                                out.println("  renewal of " + s.member() + " failed: " + e.getMessage());
                            }
                        }, 500, 500, TimeUnit.MILLISECONDS);
                    }
                }
                long lastRenewal = System.nanoTime();
                leader.renew();
                out.printf("  %s stops renewing its lease (as if its node had died)%n", leader.member());
                ClusterEvent event;
                do {
                    event = events.poll(10, TimeUnit.SECONDS);
                } while (event != null && !(event instanceof ClusterEvent.LeaderDeleted));
                if (event == null) {
                    throw new IllegalStateException("the leader key did not expire within 10 s");
                }
                out.printf("  watch: leader key of %s expired %d ms after its last renewal%n",
                        ((ClusterEvent.LeaderDeleted) event).previousLeader(), (System.nanoTime() - lastRenewal) / 1_000_000);
                List<MemberSession> survivors = sessions.stream().filter(s -> s != leader).toList();
                MemberSession next = race(survivors);
                out.printf("  %s acquired the leader key; members now: %s%n", next.member(),
                        observer.read(Consistency.LINEARIZABLE).members().keySet());
            }

            CasResult first = observer.write(ClusterKey.CONFIG, "{\"ttl\":8}", Expect.absent());
            long version = ((CasResult.Written) first).version();
            observer.write(ClusterKey.CONFIG, "{\"ttl\":10}", Expect.version(version));
            CasResult stale = observer.write(ClusterKey.CONFIG, "{\"ttl\":30}", Expect.version(version));
            out.printf("  config compare-and-swap at a stale version: %s%n", stale);
        } finally {
            renewals.shutdownNow();
            sessions.forEach(MemberSession::close);
            if (!clients.isEmpty()) {
                clients.get(0).wipe();
            }
            clients.forEach(Dcs::close);
        }
    }

    private static MemberSession race(List<MemberSession> sessions) {
        List<Thread> threads = new ArrayList<>();
        MemberSession[] winner = new MemberSession[1];
        for (MemberSession s : sessions) {
            Thread t = new Thread(() -> {
                if (s.acquireLeader()) {
                    synchronized (winner) {
                        winner[0] = s;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (winner[0] == null) {
            throw new IllegalStateException("nobody won the leader race");
        }
        return winner[0];
    }

    private static MemberData member(String name) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running", "replica",
                "demo", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), false, false, Map.of());
    }
}
