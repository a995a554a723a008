package io.pgha.packaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds the .rpm and .deb with scripts/package.sh from the jar `package` made, and checks what they
 * hold, declare and do: file lists, conffiles, dependencies, scriptlets, the units (systemd-analyze),
 * the launcher run from a scratch root, and that the scriptlets never restart a daemon.
 */
class PackageIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = Path.of(System.getProperty("pgha.jar", ROOT.resolve("app/target/pgha.jar").toString()));
    private static final List<String> UNITS = List.of("pgha.service", "pgha-vip.service", "pgha-haproxy.service");
    private static final Set<String> FILES = Set.of(
            "/usr/bin/pgha", "/usr/share/pgha/pgha.jar",
            "/etc/pgha/pgha.yml", "/etc/pgha/vip.yml", "/etc/pgha/pgha.env",
            "/usr/lib/systemd/system/pgha.service", "/usr/lib/systemd/system/pgha-vip.service",
            "/usr/lib/systemd/system/pgha-haproxy.service",
            "/usr/lib/sysusers.d/pgha.conf", "/usr/lib/tmpfiles.d/pgha.conf",
            "/usr/lib/udev/rules.d/60-pgha-watchdog.rules",
            "/usr/share/bash-completion/completions/pgha", "/usr/share/doc/pgha/README.md");

    private static Path scratch;
    private static Path rpm;
    private static Path deb;

    @BeforeAll
    static void buildPackages() throws Exception {
        assertThat(JAR).as("mvn package builds it").exists();
        scratch = Files.createTempDirectory("pgha-package-it");
        Path out = scratch.resolve("packages");
        Result r = run(Map.of("PGHA_JAR", JAR.toString(), "PGHA_PACKAGE_OUT", out.toString()),
                ROOT.resolve("scripts/package.sh").toString());
        assertThat(r.code).as(r.out).isZero();
        try (Stream<Path> s = Files.list(out)) {
            List<Path> built = s.sorted().toList();
            rpm = built.stream().filter(p -> p.toString().endsWith(".noarch.rpm")).findFirst().orElseThrow();
            deb = built.stream().filter(p -> p.toString().endsWith("_all.deb")).findFirst().orElseThrow();
        }
        assertThat(rpm.getFileName().toString()).matches("pgha-[0-9][0-9A-Za-z.~]*-1\\.noarch\\.rpm").doesNotContain("-SNAPSHOT");
        assertThat(deb.getFileName().toString()).matches("pgha_[0-9][0-9A-Za-z.~]*-1_all\\.deb");
    }

    @AfterAll
    static void removeScratch() throws IOException {
        if (scratch != null) {
            deleteTree(scratch);
            assertThat(scratch).doesNotExist();
        }
    }

    @Test
    void packageShFailsClearlyWithoutTheJar() throws Exception {
        Result r = run(Map.of("PGHA_JAR", scratch.resolve("nope.jar").toString(),
                "PGHA_PACKAGE_OUT", scratch.resolve("never").toString()), ROOT.resolve("scripts/package.sh").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).contains("nope.jar not found").contains("mvn -B -q -DskipTests package -pl app -am");
        assertThat(scratch.resolve("never")).doesNotExist();
    }

    @Test
    void theRpmHoldsTheLayoutAndDeclaresItsDependencies() throws Exception {
        Set<String> listed = lines(ok("rpm", "-qpl", rpm.toString()));
        assertThat(listed).containsAll(FILES).contains("/var/lib/pgha", "/etc/pgha");
        assertThat(lines(ok("rpm", "-qpc", rpm.toString())))
                .containsExactlyInAnyOrder("/etc/pgha/pgha.yml", "/etc/pgha/vip.yml", "/etc/pgha/pgha.env");
        assertThat(ok("rpm", "-qpR", rpm.toString())).contains("java-17-openjdk-headless");
        assertThat(lines(ok("rpm", "-qp", "--recommends", rpm.toString()))).contains("postgresql-server", "haproxy");
        assertThat(ok("rpm", "-qp", "--qf", "%{ARCH}", rpm.toString())).isEqualTo("noarch");
        // Owners and modes: config readable by the daemon's group, state owned by postgres.
        String dump = ok("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]", rpm.toString());
        assertThat(dump).contains("-rw-r----- root:postgres /etc/pgha/pgha.yml", "drwxr-x--- postgres:postgres /var/lib/pgha",
                "-rwxr-xr-x root:root /usr/bin/pgha");
    }

    @Test
    void theRpmScriptletsCreateTheUserReloadSystemdAndNeverRestart() throws Exception {
        String scripts = ok("rpm", "-qp", "--scripts", rpm.toString());
        assertThat(scripts).contains("preinstall scriptlet", "useradd -r", "groupadd -r postgres",
                "systemctl daemon-reload", "systemd-tmpfiles --create");
        assertNeverRestarts(scripts);
        // Stopping is only for an erase ($1 = 0), never on upgrade.
        String preun = scripts.substring(scripts.indexOf("preuninstall scriptlet"), scripts.indexOf("postuninstall scriptlet"));
        assertThat(preun).contains("if [ \"$1\" -eq 0 ]");
        assertThat(scripts).doesNotContain("rm -rf", "rm -r ");
    }

    @Test
    void theDebHoldsTheLayoutAndDeclaresItsDependencies() throws Exception {
        assertThat(debFiles()).containsAll(FILES);
        assertThat(ok("dpkg-deb", "-c", deb.toString())).contains("./var/lib/pgha/");
        assertThat(ok("dpkg-deb", "-f", deb.toString(), "Depends")).contains("openjdk-17-jre-headless");
        assertThat(ok("dpkg-deb", "-f", deb.toString(), "Recommends")).contains("postgresql").contains("haproxy");
        assertThat(ok("dpkg-deb", "-f", deb.toString(), "Architecture")).isEqualTo("all");
        assertThat(ok("dpkg-deb", "-f", deb.toString(), "Version")).endsWith("-1").doesNotContain("-SNAPSHOT");
        assertThat(ok("dpkg-deb", "-I", deb.toString())).contains("conffiles", "postinst", "prerm", "postrm");
        assertThat(lines(ok("dpkg-deb", "-I", deb.toString(), "conffiles")))
                .containsExactlyInAnyOrder("/etc/pgha/pgha.yml", "/etc/pgha/vip.yml", "/etc/pgha/pgha.env");
    }

    @Test
    void theDebScriptletsNeverRestartAndNeverDeleteData() throws Exception {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            String text = ok("dpkg-deb", "-I", deb.toString(), script);
            assertNeverRestarts(text);
            assertThat(text).as(script).doesNotContain("rm -rf", "rm -r ", "deb-systemd-invoke");
        }
        String postinst = ok("dpkg-deb", "-I", deb.toString(), "postinst");
        assertThat(postinst).contains("adduser --system", "systemctl --system daemon-reload");
        String prerm = ok("dpkg-deb", "-I", deb.toString(), "prerm");
        // stop only under `remove)`, before the upgrade branch
        assertThat(prerm.indexOf("remove)")).isLessThan(prerm.indexOf("systemctl stop"));
        assertThat(prerm.indexOf("systemctl stop")).isLessThan(prerm.indexOf("upgrade|"));
    }

    /** Runs the real postinst as for an upgrade and a first install, with a systemctl that records its arguments. */
    @Test
    void postinstOnUpgradeOnlyReloadsSystemd() throws Exception {
        Path root = Files.createDirectories(scratch.resolve("postinst-run"));
        ok("dpkg-deb", "-e", deb.toString(), root.resolve("DEBIAN").toString());
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path log = root.resolve("calls.log");
        for (String tool : List.of("systemctl", "deb-systemd-invoke", "deb-systemd-helper", "invoke-rc.d", "service",
                "chgrp", "chown", "chmod", "adduser", "addgroup", "systemd-tmpfiles", "udevadm")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho \"" + tool + " $*\" >> " + log + "\n");
            fake.toFile().setExecutable(true);
        }
        // The script acts on the systemd branch only when /run/systemd/system exists: run it with
        // that test pointed at a scratch directory, the rest of the script unchanged.
        Path runSystemd = Files.createDirectories(root.resolve("run-systemd-system"));
        String text = Files.readString(root.resolve("DEBIAN/postinst"));
        assertThat(text).contains("[ -d /run/systemd/system ]");
        Path script = root.resolve("postinst");
        Files.writeString(script, text.replace("[ -d /run/systemd/system ]", "[ -d " + runSystemd + " ]"));
        script.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin");

        Result upgrade = run(env, script.toString(), "configure", "0.0.9-1");
        assertThat(upgrade.code).as(upgrade.out).isZero();
        assertThat(upgrade.out).contains("running pgha units keep the old version until restarted");
        List<String> calls = Files.readAllLines(log);
        List<String> systemctl = calls.stream().filter(c -> c.startsWith("systemctl") || c.startsWith("deb-systemd")
                || c.startsWith("invoke-rc.d") || c.startsWith("service")).toList();
        assertThat(systemctl).containsExactly("systemctl --system daemon-reload");

        Files.delete(log);
        Result install = run(env, script.toString(), "configure", "");
        assertThat(install.code).as(install.out).isZero();
        assertThat(Files.readAllLines(log).stream().filter(c -> c.startsWith("systemctl")).toList())
                .containsExactly("systemctl --system daemon-reload");
    }

    @Test
    void systemdAcceptsEveryUnit() throws Exception {
        Path root = scratch.resolve("verify-root");
        ok("dpkg-deb", "-x", deb.toString(), root.toString());
        // verify resolves ExecStart= under --root (so /usr/bin/pgha is the packaged launcher) and needs
        // the standard targets there too: copy the host's.
        Path unitDir = root.resolve("usr/lib/systemd/system");
        for (Path dir : List.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path t : s.filter(p -> p.toString().endsWith(".target")).toList()) {
                    Path dest = unitDir.resolve(t.getFileName().toString());
                    if (!Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.copy(t, dest, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    }
                }
            }
        }
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
        cmd.addAll(UNITS);
        Result r = run(Map.of(), cmd.toArray(String[]::new));
        // verify exits 0 on unknown keys and bad values but names them: nothing may be printed.
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).isBlank();
        for (String unit : UNITS) {
            String text = Files.readString(unitDir.resolve(unit));
            assertThat(text).as(unit).contains("Restart=always", "RestartSec=1", "SuccessExitStatus=143",
                    "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes",
                    "After=network-online.target", "Wants=network-online.target", "SyslogIdentifier=" + unit.replace(".service", ""),
                    "LimitNOFILE=", "TimeoutStopSec=", "ExecStart=/usr/bin/pgha ");
            assertThat(text).as(unit).doesNotContain("RemoveIPC=yes", "MemoryDenyWriteExecute=yes");
        }
        String daemon = Files.readString(unitDir.resolve("pgha.service"));
        assertThat(daemon).contains("Type=notify", "NotifyAccess=main", "KillMode=process", "User=postgres",
                "ReadWritePaths=/var/lib/pgha", "-/var/lib/postgresql", "-/pg", "-/run/postgresql",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n");
        int stop = Integer.parseInt(daemon.replaceAll("(?s).*\nTimeoutStopSec=(\\d+).*", "$1"));
        assertThat(stop).as("longer than the daemon's stop budget of 110 s").isGreaterThan(110);
        String vip = Files.readString(unitDir.resolve("pgha-vip.service"));
        assertThat(vip).contains("User=postgres", "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW", "AF_NETLINK AF_PACKET");
    }

    @Test
    void securityExposureOfEveryUnitIsLow() throws Exception {
        for (String unit : UNITS) {
            String out = ok("systemd-analyze", "security", "--offline=yes", ROOT.resolve("systemd").resolve(unit).toString());
            String score = out.replaceAll("(?s).*Overall exposure level for \\S+: ([0-9.]+).*", "$1");
            assertThat(Double.parseDouble(score)).as(unit + " exposure").isLessThanOrEqualTo(2.5);
        }
    }

    @Test
    void theInstalledLauncherRunsCheckConfigOnTheShippedExample() throws Exception {
        Path root = installedRoot();
        String launcher = root.resolve("usr/bin/pgha").toString();
        // No PGHA_JAR: the launcher finds ../share/pgha/pgha.jar next to itself.
        Map<String, String> env = Map.of("PGHA_JAR", "");
        Result help = run(env, launcher, "--help");
        assertThat(help.code).as(help.out).isZero();
        assertThat(help.out).contains("check-config", "daemon", "vip", "haproxy");
        Result check = run(env, launcher, "check-config", "-c", root.resolve("etc/pgha/pgha.yml").toString());
        assertThat(check.code).as(check.out).isZero();
        assertThat(check.out).contains("OK").doesNotContain("change-me");
        Result version = run(env, launcher, "--version");
        assertThat(version.code).as(version.out).isZero();
        // The package version 0.1.0~SNAPSHOT-1 is the Maven version 0.1.0-SNAPSHOT spelt for dpkg and rpm.
        String packaged = ok("dpkg-deb", "-f", deb.toString(), "Version").replaceAll("-1$", "").replace('~', '-');
        assertThat(version.out.strip()).matches("pgha " + Pattern.quote(packaged) + " \\(git ([0-9a-f]{7,}|unknown)\\)");
        Result moved = run(Map.of("PGHA_JAR", root.resolve("nowhere.jar").toString()), launcher, "--help");
        assertThat(moved.code).isEqualTo(2);
        assertThat(moved.out).contains("nowhere.jar not found");
        assertThat(Files.readString(root.resolve("usr/share/bash-completion/completions/pgha")))
                .contains("complete -F").contains("check-config").contains("switchover");
    }

    /**
     * The installed pgha, started as the unit starts it (`pgha daemon -c`), joins a running cluster:
     * node1 runs from the build's jar, node2 from the unpacked package, and node2 becomes node1's replica.
     */
    @Test
    void aNodeRunFromTheInstalledPackageJoinsACluster() throws Exception {
        List<String> installed = List.of(installedRoot().resolve("usr/bin/pgha").toString());
        try (LocalCluster cluster = new LocalCluster(2, "fast", "")) {
            LocalNode first = cluster.nodes.get(0);
            LocalNode joining = cluster.nodes.get(1);
            cluster.start(first);
            assertThat(cluster.awaitPrimary(Duration.ofSeconds(90)).name()).isEqualTo(first.name());
            cluster.daemons.put(joining.name(), joining.start(installed)); // stopped by PID in close()
            cluster.dumpOnFailure(() -> {
                cluster.awaitReplica(joining, Duration.ofSeconds(120));
                return null;
            });
            cluster.awaitPublishedStreaming(first, Duration.ofSeconds(60));
            assertThat(joining.restBody(cluster.http, "/patroni").orElseThrow()).containsPattern("\"role\"\\s*:\\s*\"replica\"");
        }
    }

    /** The jar a node runs carries no test code: neither the test harness nor any test class. */
    @Test
    void theRuntimeJarHoldsNoTestCode() throws Exception {
        List<String> entries;
        try (JarFile jar = new JarFile(installedRoot().resolve("usr/share/pgha/pgha.jar").toFile())) {
            entries = jar.stream().map(JarEntry::getName).toList();
        }
        assertThat(entries).contains("io/pgha/cli/Pgha.class", "io/pgha/daemon/Daemon.class", "io/pgha/launch/ChildProcess.class");
        assertThat(entries).noneMatch(e -> e.startsWith("io/pgha/testing/"))
                .noneMatch(e -> e.matches("io/pgha/.*(Test|IT|Benchmark)(\\$.*)?\\.class"))
                .noneMatch(e -> e.startsWith("org/junit/") || e.startsWith("org/assertj/"))
                .noneMatch(e -> e.contains("pgha-test-support"));
    }

    @Test
    void theLauncherHasTheJvmFlagsOfBinPgha() throws Exception {
        String packaged = jvmFlags(Files.readString(ROOT.resolve("packaging/pgha")));
        assertThat(packaged).isEqualTo(jvmFlags(Files.readString(ROOT.resolve("bin/pgha")))).contains("-Xmx64m");
    }

    @Test
    void theRpmInstalledIntoAScratchRootHoldsWhatTheDebHolds() throws Exception {
        Path root = scratch.resolve("rpm-root");
        Files.createDirectories(root);
        // Debian's rpm keeps its database in ~/.rpmdb unless told: keep it inside the scratch root.
        ok("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "--initdb");
        // --noscripts: the scriptlets would run useradd inside an empty root.
        ok("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "--nodeps", "--noscripts", "-i", rpm.toString());
        assertThat(ok("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-qa")).startsWith("pgha-");
        Set<String> rpmFiles = tree(root, Set.of("/var/lib/rpm", "/usr/lib/sysimage", "/var/lib/pgha", "/var/tmp", "/tmp"));
        assertThat(rpmFiles).isEqualTo(debFiles());
        assertThat(root.resolve("var/lib/pgha")).isDirectory();
        Result check = run(Map.of(), root.resolve("usr/bin/pgha").toString(), "check-config", "-c",
                root.resolve("etc/pgha/pgha.yml").toString());
        assertThat(check.code).as(check.out).isZero();
    }

    /** The .deb unpacked once, as dpkg would install its files. */
    private static synchronized Path installedRoot() throws Exception {
        Path root = scratch.resolve("deb-root");
        if (!Files.exists(root)) {
            ok("dpkg-deb", "-x", deb.toString(), root.toString());
        }
        return root;
    }

    private static Set<String> debFiles() throws Exception {
        Path root = scratch.resolve("deb-files");
        if (!Files.exists(root)) {
            ok("dpkg-deb", "-x", deb.toString(), root.toString());
        }
        return tree(root, Set.of());
    }

    /** Every non-directory under root, as absolute paths, leaving out the given subtrees. */
    private static Set<String> tree(Path root, Set<String> skip) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p))
                    .map(p -> "/" + root.relativize(p))
                    .filter(p -> skip.stream().noneMatch(p::startsWith))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String jvmFlags(String script) {
        return script.replaceAll("(?s).*\\$\\{PGHA_JAVA_OPTS:-([^}]*)}.*", "$1");
    }

    /** Every command line (comments and messages aside) that talks to the service manager only reloads, disables or stops. */
    private static void assertNeverRestarts(String script) {
        List<String> commands = Arrays.stream(script.split("\n")).map(String::strip)
                .filter(l -> !l.startsWith("#") && !l.startsWith("echo") && !l.startsWith("\""))
                .toList();
        assertThat(commands).noneMatch(l -> l.contains("restart") || l.contains("--now") || l.contains("reload-or")
                || l.contains("deb-systemd-invoke") || l.contains("invoke-rc.d") || l.startsWith("service "));
        assertThat(commands.stream().filter(l -> l.contains("systemctl")).toList()).isNotEmpty()
                .allMatch(l -> l.matches("systemctl (--system )?daemon-reload.*")
                        || l.matches("systemctl --no-reload disable .*") || l.matches("systemctl stop .*"), "reload, disable or stop");
    }

    private static Set<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String ok(String... cmd) throws Exception {
        Result r = run(Map.of(), cmd);
        assertThat(r.code).as(String.join(" ", cmd) + ":\n" + r.out).isZero();
        return r.out.strip();
    }

    private record Result(int code, String out) {
    }

    private static Result run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("TMPDIR", scratch == null ? System.getProperty("java.io.tmpdir") : scratch.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
