# degen — `just reproduce` runs the default study; `just test` is what CI runs.

set shell := ["bash", "-euo", "pipefail", "-c"]

bin := "bin/degen"

# List the recipes.
default:
    @just --list

# Build the degen binary into bin/.
build:
    go build -o {{bin}} ./cmd/degen

# Run the default study (pipeline.toml, preset quick) into the local store, then export what was run to results/.
# ARGS go to both commands (config flags and -j): `just reproduce --preset smoke -j 2`.
reproduce *ARGS: build
    {{bin}} run {{ARGS}}
    {{bin}} export {{ARGS}}

# Everything CI checks: vet, gofmt, the test suite on the fast kernels and again with the portable ones, fuzz seed corpora.
test: lint
    go test -count=1 ./...
    go test -race -short -count=1 ./artifacts ./pipeline ./stages
    @# The portable kernels must give the same bits: every package, and the
    @# pipeline end to end (the CLI's engine tests run once, above).
    DEGEN_KERNELS=portable go test -count=1 -short $(go list ./... | grep -v /cmd/degen)
    DEGEN_KERNELS=portable go test -count=1 -run 'Golden|WorkerCount|SmokePresetConverges' ./cmd/degen/
    @# Bits must not depend on the compiler fusing x*y+z (it does at GOAMD64=v3).
    GOAMD64=v3 go test -count=1 -short ./tasks/ ./metrics/... ./stages/
    GOAMD64=v3 go test -count=1 -run Golden ./cmd/degen/

# The golden outputs again from an arm64 build under qemu (apt-get install qemu-user-static):
# Go fuses x*y+z on arm64, so this checks the bits never depend on the architecture.
test-cross:
    DEGEN_TEST_GOARCH=arm64 DEGEN_TEST_EXEC=qemu-aarch64-static go test -count=1 -run Golden ./cmd/degen/

# The Slurm tests on a real one-node Slurm here (root; scripts/slurm-localhost.sh installs and starts it if needed, then stops it).
test-slurm:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! scripts/slurm-localhost.sh status >/dev/null; then
        scripts/slurm-localhost.sh start
        trap 'scripts/slurm-localhost.sh stop' EXIT
    fi
    CI=true go test -count=1 -run TestSlurm ./cmd/degen/

# Just the quick tests.
test-short:
    go test -short ./...

# Static checks: gofmt and go vet.
lint:
    @test -z "$(gofmt -l $(git ls-files '*.go'))" || { gofmt -l $(git ls-files '*.go'); echo 'gofmt needed'; exit 1; }
    go vet ./...

# Benchmarks (see docs/perf.md for the figures and how to compare runs with benchstat).
bench *ARGS:
    go test -run '^$' -bench . -benchmem {{ARGS}} ./...

# Fuzz the config loader and the index-entry parser for a while.
fuzz TIME="30s":
    go test -run '^$' -fuzz FuzzLoad -fuzztime {{TIME}} ./pipeline
    go test -run '^$' -fuzz FuzzParseEntry -fuzztime {{TIME}} ./artifacts

# Install the DuckDB reader used by the Parquet interop test.
duckdb:
    cd tools/duckcheck && npm install --no-audit --no-fund

# Remove build outputs and exported results (not the store: `degen gc` manages that).
clean:
    rm -rf bin results
