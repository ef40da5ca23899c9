#!/bin/sh
# Trunk's post-build hook (Trunk.toml; trunk runs a stage's hooks at once, so one script runs
# them in turn): the engine build beside the page's (WebGPU and the sentence model, for the
# workers that need them; `cargo xtask engine-build`), then the release named from every file
# (public/sw-release.sh).
set -eu
"${CARGO:-cargo}" xtask engine-build "${TRUNK_STAGING_DIR:?run by trunk}"
sh public/sw-release.sh
