#!/bin/sh
# Trunk's post-build hook (Trunk.toml, through public/post-build.sh, after the engine build):
# write this build's release into its service worker
# (sw.js in the staging folder): the release's name, and the files its cache must hold (every
# file beside index.html; the sentence model's folder is the app's to cache). The name is the
# hash of index.html and those files: any change to any of them makes a new release (the page
# holds the integrity hash of the files it loads, but not of the engine's worker script). Also
# run by the fault test that swaps builds.
# First, in a release build, the wasm's function names go (a quarter of its bytes; only stack
# traces read them) and index.html gets the new integrity hashes, so the release is named from
# the final page.
set -eu
staging="${TRUNK_STAGING_DIR:?run by trunk, or with TRUNK_STAGING_DIR set}"
if [ "${TRUNK_PROFILE:-release}" = release ]; then
  "${CARGO:-cargo}" xtask strip-names "$staging"
fi
cd "$staging"
files=""
named=""
for f in *; do
  if [ -f "$f" ] && [ "$f" != index.html ] && [ "$f" != sw.js ]; then
    files="$files\"$f\","
    named="$named $f"
  fi
done
# The page, and the files not named by their content (the engine's worker script): a change to
# any of them makes a new release.
if command -v sha256sum > /dev/null; then
  release=$(cat index.html $named | sha256sum | cut -c1-16)
else
  # macOS
  release=$(cat index.html $named | shasum -a 256 | cut -c1-16)
fi
sed -e "s/__INKLING_RELEASE__/$release/" -e "s/__INKLING_FILES__/$files/" sw.js > sw.js.named
mv sw.js.named sw.js
echo "service worker: release $release"
