#!/usr/bin/env bash
# Rebuilds the API compatibility baseline (compat/baseline/*.jar) from a git ref, for japicmp (README, Versioning).
#   compat/update-baseline.sh <ref>      e.g. compat/update-baseline.sh v0.1.0
# The ref's sources are exported with `git archive` (no checkout, no worktree), built without tests, and each
# published module's jar is copied to compat/baseline/tollgate-<module>.jar and the commit id to
# compat/baseline/COMMIT; commit the result. Extra Maven flags (a local repository, -o) go in MAVEN_ARGS.
set -euo pipefail
ref="${1:?usage: compat/update-baseline.sh <git ref>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git -C "$root" archive --format=tar "$ref" | tar -x -C "$work"
# shellcheck disable=SC2086
(cd "$work" && mvn -B -q ${MAVEN_ARGS:-} -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Dcyclonedx.skip=true -Djapicmp.skip=true package)

rm -f "$root"/compat/baseline/*.jar
mkdir -p "$root/compat/baseline"
for jar in "$work"/*/target/tollgate-*.jar; do
  name="$(basename "$jar")"
  case "$name" in
    *-sources.jar|*-javadoc.jar|tollgate-examples-*|tollgate-demo.jar) continue ;;
  esac
  module="${name%-*-SNAPSHOT.jar}"
  module="${module%-[0-9]*.[0-9]*.[0-9]*}"
  cp "$jar" "$root/compat/baseline/$module.jar"
done
git -C "$root" rev-parse "$ref^{commit}" > "$root/compat/baseline/COMMIT"
ls -1 "$root/compat/baseline"
