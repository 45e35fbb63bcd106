#!/bin/sh
# Builds and runs examples/library-usage against this repository as a versioned git dependency: the
# working tree's tracked files are committed into a temporary repository tagged 0.1.0, which the example
# resolves through AGE_LIBRARY_URL (file://...). It fails if SwiftPM refuses the library as a dependency
# (unsafe build flags) or if the example's fit does not converge.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/age-swift"
cd "$root"
# Tracked files as they are now (figures and runs are not needed by a dependency).
git ls-files -z -- . ':!figures' ':!REPLICATION.md' | xargs -0 cp --parents -t "$tmp/age-swift"
cd "$tmp/age-swift"
git init -q && git add -A && git -c user.name=example -c user.email=example@localhost commit -q -m library && git tag 0.1.0
# The example is built from a copy, so that nothing (Package.resolved, .build) is written into the repository.
cp -r "$root/examples/library-usage" "$tmp/example"
cd "$tmp/example"
if ! AGE_LIBRARY_URL="file://$tmp/age-swift" ${SWIFT:-swift} build --scratch-path "$tmp/build" > "$tmp/build.log" 2>&1; then
  grep -A6 "error:" "$tmp/build.log" | head -40; tail -5 "$tmp/build.log"; echo "example: examples/library-usage did not build against the library as a dependency" >&2; exit 1
fi
"$tmp/build/debug/FitSine"
echo "example: built against the library as a versioned dependency, and ran"
