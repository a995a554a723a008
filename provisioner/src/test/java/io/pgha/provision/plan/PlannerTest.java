package io.pgha.provision.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {
    private static final String YML = "scope: pg-test\npostgresql:\n  authentication:\n    superuser: {username: postgres, password: S3cret}\n";
    private static final DesiredFile CONFIG = new DesiredFile("/etc/pgha/pgha.yml", YML, "0640", "root", "postgres");
    private static final HostDesired WANT = new HostDesired("10.0.0.2", List.of("pg-test-1"), List.of("pgha=0.1.0~SNAPSHOT-1"), List.of(),
            List.of(CONFIG), List.of("pgha.service"), Map.of("pgha.service", Set.of("/etc/pgha/pgha.yml")), List.of("S3cret"));

    @Test
    void aFreshHostGetsThePackageTheFilesAndTheUnitsInThatOrder() {
        Observed fresh = new Observed("10.0.0.2", true, Map.of(), Map.of(), Map.of(), Map.of());
        List<Change> plan = Planner.plan(WANT, fresh);
        assertThat(plan).extracting(Change::summary).containsExactly(
                "package pgha: not installed → 0.1.0~SNAPSHOT-1",
                "create /etc/pgha/pgha.yml (0640 root:postgres)",
                "enable and start pgha.service");
        Change.WriteFile write = (Change.WriteFile) plan.get(1);
        assertThat(write.diff()).contains("+++ /etc/pgha/pgha.yml", "+scope: pg-test", "password: ••••").doesNotContain("S3cret");
    }

    @Test
    void aHostThatHoldsItAllHasNoChanges() {
        Observed same = new Observed("10.0.0.2", true, Map.of(), Map.of(CONFIG.path(), Optional.of(new Observed.FileState(YML, "0640", "root", "postgres"))),
                Map.of("pgha", Optional.of("0.1.0~SNAPSHOT-1")), Map.of("pgha.service", new Observed.UnitStatus(true, true)));
        assertThat(Planner.plan(WANT, same)).isEmpty();
    }

    @Test
    void aChangedFileOfARunningUnitAsksForItsRestartAndTheOldPasswordStaysHidden() {
        String old = YML.replace("S3cret", "0ldPassw0rd").replace("pg-test", "pg-old");
        Observed drifted = new Observed("10.0.0.2", true, Map.of(), Map.of(CONFIG.path(), Optional.of(new Observed.FileState(old, "0644", "root", "root"))),
                Map.of("pgha", Optional.of("0.0.9-1")), Map.of("pgha.service", new Observed.UnitStatus(true, true)));
        List<Change> plan = Planner.plan(WANT, drifted);
        assertThat(plan).extracting(Change::summary).containsExactly(
                "package pgha: 0.0.9-1 → 0.1.0~SNAPSHOT-1",
                "update /etc/pgha/pgha.yml (0640 root:postgres)",
                "restart pgha.service (/etc/pgha/pgha.yml changed)");
        String diff = ((Change.WriteFile) plan.get(1)).diff();
        assertThat(diff).contains("-scope: pg-old", "+scope: pg-test").doesNotContain("0ldPassw0rd", "S3cret");
    }

    @Test
    void onlyASecretChangedIsSaidWithoutShowingEither() {
        String old = YML.replace("S3cret", "0ldPassw0rd");
        Observed drifted = new Observed("10.0.0.2", true, Map.of(), Map.of(CONFIG.path(), Optional.of(new Observed.FileState(old, "0640", "root", "postgres"))),
                Map.of("pgha", Optional.of("0.1.0~SNAPSHOT-1")), Map.of("pgha.service", new Observed.UnitStatus(true, false)));
        List<Change> plan = Planner.plan(WANT, drifted);
        assertThat(plan).extracting(Change::summary).containsExactly("update /etc/pgha/pgha.yml (0640 root:postgres)", "start pgha.service");
        assertThat(((Change.WriteFile) plan.get(0)).diff()).isEqualTo("  (a secret value changed)\n");
    }

    @Test
    void onlyTheModeDiffers() {
        Observed loose = new Observed("10.0.0.2", true, Map.of(), Map.of(CONFIG.path(), Optional.of(new Observed.FileState(YML, "0644", "root", "postgres"))),
                Map.of("pgha", Optional.of("0.1.0~SNAPSHOT-1")), Map.of("pgha.service", new Observed.UnitStatus(true, true)));
        assertThat(Planner.plan(WANT, loose)).extracting(Change::summary)
                .containsExactly("attributes of /etc/pgha/pgha.yml: 0644 root:postgres → 0640 root:postgres");
    }

    @Test
    void redactionMasksKnownSecretsAndAnyPasswordLikeValue() {
        Redaction r = new Redaction(List.of("DBUser.Test", "x"));
        assertThat(r.mask("PGHA_SUPERUSER_PASSWORD=abc\n  password: 'q w'\n{\"password\": \"zz\"} user DBUser.Test"))
                .isEqualTo("PGHA_SUPERUSER_PASSWORD=••••\n  password: ••••\n{\"password\": ••••} user ••••")
                .doesNotContain("abc", "q w", "zz");
        assertThat(CONFIG.toString()).doesNotContain("S3cret");
        assertThat(WANT.toString()).doesNotContain("S3cret");
    }
}
