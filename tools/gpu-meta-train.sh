#!/usr/bin/env bash
# Meta-train the drawing encoder on a lent GPU machine (the `device` tool; issue 15 item 2).
# The GPU machine has no Rust, no network and not ../shared, so everything travels from here:
#
#   bash tools/gpu-meta-train.sh prepare
#       here: a stripped, gzipped release build of `inkling`, the four Omniglot zips and the
#       Vulkan loader packages, in .gpu/ and .gl/ (both kept out of git by .git/info/exclude;
#       about 30 MB together, under the tool's 64 MiB).
#   device run, carry [".gpu", ".gl"], command "bash tools/gpu-meta-train.sh run", timeout_s 580
#       there: trains with `--device wgpu` for at most $MINUTES minutes (default 8), then
#       copies the checkpoint (state.json, encoder.bpk) and, when the run has ended, the
#       encoder and its card to $OUT. A run stopped by the clock resumes: copy $OUT/checkpoint
#       to .gpu/checkpoint here and run again (meta-train refuses a checkpoint made with other
#       settings, so RECIPE must stay the same between calls).
#
#   device run, carry [".gpu", ".gl"], command "bash tools/gpu-meta-train.sh ensemble", ...
#       there: after the recipe the CPU runs found best (README: ensemble distillation, there
#       from the shipped encoder and two 7,000-episode members): one member encoder of
#       $RECIPE for each seed of $SEEDS (default "42 7 3"), then one encoder distilled from
#       them (`--distil-from`, seed $DISTIL_SEED, default 11, in .gpu/distilled/), all within
#       the same $MINUTES. Each finished member is kept; each unfinished run keeps its
#       checkpoint. $OUT/gpu holds them all: copy it back over .gpu/ here
#       (`cp -r FILES_AT/gpu/. .gpu/`) and run again to go on where the clock stopped it.
#       A run that fails for another reason is logged with its exit status and the script
#       exits with it.
#
# RECIPE (the meta-train flags) defaults to the stroke-augmented encoder (64 channels: 96 gained
# nothing over the first 1,500 episodes on the CPU) for 24,000 episodes, 3.4 times the shipped
# run. The card written records the device and the command; the same command with
# `--device cpu` makes the same run on any machine, apart only through rounding.
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPE=${RECIPE:---stroke-augment --steps 24000 --lr-halve-every 6000}
MINUTES=${MINUTES:-8}
SEEDS=${SEEDS:-42 7 3}
DISTIL_SEED=${DISTIL_SEED:-11}
# `cpu` tries the same steps here (the tool's test: DEVICE=cpu with a tiny RECIPE).
DEVICE=${DEVICE:-wgpu}
deadline=$(($(date +%s) + MINUTES * 60))
out=${OUT:-/tmp/gpu-out}

# The device machine: the Vulkan loader, the binary, the GPU's name.
setup() {
    if [ "$DEVICE" = wgpu ]; then
        for f in .gl/*.deb; do dpkg -x "$f" /; done
        ldconfig
    fi
    if [ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
        export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    fi
    gunzip -kf .gpu/inkling.gz
    chmod +x .gpu/inkling
    mkdir -p "$out" .gpu/checkpoint .gpu/encoder
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
}

# One meta-train run with the data and $RECIPE ("$@": its other flags), stopped at the
# deadline; fails when the clock stopped it (or it failed), so what follows waits.
train() {
    local left=$((deadline - $(date +%s)))
    if [ "$left" -lt 20 ]; then
        echo "no time left for: $*" | tee -a "$out/log.txt"
        return 124
    fi
    local d=.gpu/data
    # shellcheck disable=SC2086
    timeout "$left" .gpu/inkling meta-train --device "$DEVICE" $RECIPE "$@" \
        --strokes $d/strokes_background_small1.zip $d/strokes_background_small2.zip \
        --images $d/images_background_small1.zip $d/images_background_small2.zip \
        2>&1 | tee -a "$out/log.txt"
}

case "${1:-}" in
prepare)
    grep -qx '/.gpu/' .git/info/exclude || echo /.gpu/ >>.git/info/exclude
    grep -qx '/.gl/' .git/info/exclude || echo /.gl/ >>.git/info/exclude
    mkdir -p .gpu/data .gl
    cargo build --release --bin inkling
    target=${CARGO_TARGET_DIR:-target}
    strip -o .gpu/inkling "$target/release/inkling"
    gzip -f .gpu/inkling
    cp ../shared/data/omniglot/*.zip .gpu/data/
    if ! ls .gl/*.deb >/dev/null 2>&1; then
        o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
        mkdir -p /tmp/amd64/partial
        # shellcheck disable=SC2086
        apt-get $o update
        # shellcheck disable=SC2086
        (cd .gl && apt-get $o download libvulkan1)
    fi
    du -sh .gpu .gl
    ;;
run)
    setup
    train --checkpoint .gpu/checkpoint --out .gpu/encoder || true
    mkdir -p "$out/checkpoint"
    cp .gpu/checkpoint/* "$out/checkpoint/" 2>/dev/null || true
    cp .gpu/encoder/* "$out/" 2>/dev/null || true
    ls -la "$out" "$out/checkpoint"
    ;;
ensemble)
    setup
    teachers=()
    status=0
    for seed in $SEEDS; do
        member=.gpu/members/$seed
        mkdir -p "$member/checkpoint"
        # The card is written after the weights: a member has ended only once it is there.
        if [ ! -f "$member/encoder.json" ]; then
            train --seed "$seed" --checkpoint "$member/checkpoint" --out "$member" || {
                status=$?
                echo "member $seed stopped, status $status (124: the clock)" | tee -a "$out/log.txt"
                break
            }
        fi
        teachers+=("$member/encoder.bpk")
    done
    if [ "$status" -eq 0 ]; then
        mkdir -p .gpu/distilled/checkpoint
        train --seed "$DISTIL_SEED" --distil-from "${teachers[@]}" \
            --checkpoint .gpu/distilled/checkpoint --out .gpu/distilled || {
            status=$?
            echo "distillation stopped, status $status (124: the clock)" | tee -a "$out/log.txt"
        }
    fi
    # Everything made, as .gpu/ holds it (the binary and the data stay here).
    mkdir -p "$out/gpu"
    cp -r .gpu/members .gpu/distilled "$out/gpu/" 2>/dev/null || true
    find "$out" -type f | sort
    # The clock (124) is expected: the next call goes on. Anything else is a failure.
    if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then exit "$status"; fi
    ;;
*)
    echo "usage: bash tools/gpu-meta-train.sh prepare|run|ensemble" >&2
    exit 2
    ;;
esac
