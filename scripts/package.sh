#!/usr/bin/env bash
# Builds the pgha packages from app/target/pgha.jar (run `mvn -B -q -DskipTests package -pl app -am`
# first) into app/target/packages/ (or $PGHA_PACKAGE_OUT):
#   pgha-<version>-1.noarch.rpm   rpmbuild with rpm/pgha.spec
#   pgha_<version>-1_all.deb      dpkg-deb from the same files (packaging/deb/)
# <version> is the Maven project version recorded in the jar, with '-' as '~' (0.1.0-SNAPSHOT ->
# 0.1.0~SNAPSHOT, which rpm and dpkg both sort before 0.1.0). Needs java, rpmbuild and dpkg-deb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${PGHA_JAR:-$root/app/target/pgha.jar}"
out="${PGHA_PACKAGE_OUT:-$root/app/target/packages}"
release=1

die() { echo "package.sh: $*" >&2; exit 2; }

[[ -f "$jar" ]] || die "$jar not found; build it first: mvn -B -q -DskipTests package -pl app -am"
for tool in java unzip rpmbuild dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh installs it)"
done

maven_version="$(unzip -p "$jar" META-INF/maven/io.pgha/pgha-app/pom.properties 2>/dev/null \
  | sed -n 's/^version=//p' | tr -d '\r')"
[[ -n "$maven_version" ]] || die "$jar has no META-INF/maven/io.pgha/pgha-app/pom.properties: is it the shaded pgha jar?"
version="${maven_version//-/\~}"
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || die "Maven version $maven_version does not map to a package version ($version)"

work="$(mktemp -d "${TMPDIR:-/tmp}/pgha-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The files both packages ship, gathered once.
src="$work/sources"
mkdir -p "$src"
cp "$jar" "$src/pgha.jar"
cp "$root"/packaging/{pgha,pgha.yml,vip.yml,pgha.env,sysusers.conf,tmpfiles.conf,60-pgha-watchdog.rules} "$src/"
cp "$root"/systemd/{pgha.service,pgha-vip.service,pgha-haproxy.service} "$src/"
cp "$root/README.md" "$src/README.md"
# Bash completion, generated from the command tree itself.
java -cp "$jar" "$root/packaging/Completion.java" "$src/pgha.bash-completion" \
  || die "generating the bash completion failed"
grep -q 'check-config' "$src/pgha.bash-completion" || die "the bash completion lists no subcommands"

# --- .deb -------------------------------------------------------------------------------------
deb="$work/deb"
install -D -m 0755 "$src/pgha"                   "$deb/usr/bin/pgha"
install -D -m 0644 "$src/pgha.jar"               "$deb/usr/share/pgha/pgha.jar"
install -D -m 0640 "$src/pgha.yml"               "$deb/etc/pgha/pgha.yml"
install -D -m 0640 "$src/vip.yml"                "$deb/etc/pgha/vip.yml"
install -D -m 0640 "$src/pgha.env"               "$deb/etc/pgha/pgha.env"
install -D -m 0644 "$src/pgha.service"           "$deb/usr/lib/systemd/system/pgha.service"
install -D -m 0644 "$src/pgha-vip.service"       "$deb/usr/lib/systemd/system/pgha-vip.service"
install -D -m 0644 "$src/pgha-haproxy.service"   "$deb/usr/lib/systemd/system/pgha-haproxy.service"
install -D -m 0644 "$src/sysusers.conf"          "$deb/usr/lib/sysusers.d/pgha.conf"
install -D -m 0644 "$src/tmpfiles.conf"          "$deb/usr/lib/tmpfiles.d/pgha.conf"
install -D -m 0644 "$src/60-pgha-watchdog.rules" "$deb/usr/lib/udev/rules.d/60-pgha-watchdog.rules"
install -D -m 0644 "$src/pgha.bash-completion"   "$deb/usr/share/bash-completion/completions/pgha"
install -D -m 0644 "$src/README.md"              "$deb/usr/share/doc/pgha/README.md"
install -d -m 0750 "$deb/var/lib/pgha"
chmod 0750 "$deb/etc/pgha"
install -d -m 0755 "$deb/DEBIAN"
install -m 0644 "$root/packaging/deb/conffiles" "$deb/DEBIAN/conffiles"
install -m 0755 "$root"/packaging/deb/{postinst,prerm,postrm} "$deb/DEBIAN/"
installed_size="$(du -sk --exclude=DEBIAN "$deb" | cut -f1)"
sed -e "s/@VERSION@/$version-$release/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  "$root/packaging/deb/control.in" > "$deb/DEBIAN/control"
(cd "$deb" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$deb/DEBIAN/md5sums"
deb_file="$out/pgha_${version}-${release}_all.deb"
dpkg-deb --root-owner-group -Zxz --build "$deb" "$deb_file" >/dev/null
echo "package.sh: $deb_file"

# --- .rpm -------------------------------------------------------------------------------------
top="$work/rpmbuild"
mkdir -p "$top"/{BUILD,BUILDROOT,RPMS,SRPMS,SPECS}
rpmbuild -bb --quiet \
  --define "_topdir $top" \
  --define "_sourcedir $src" \
  --define "_rpmdir $top/RPMS" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "pgha_version $version" \
  --define "pgha_release $release" \
  --define "_tmppath $work/tmp" \
  "$root/rpm/pgha.spec" >"$work/rpmbuild.log" 2>&1 || { cat "$work/rpmbuild.log" >&2; die "rpmbuild failed"; }
rpm_file="$out/pgha-${version}-${release}.noarch.rpm"
mv "$top/RPMS/pgha-${version}-${release}.noarch.rpm" "$rpm_file"
echo "package.sh: $rpm_file"
