#!/usr/bin/env bash
# Installs what the build needs on a fresh machine: the wasm32v1-none target and wasm-opt
# (Debian's binaryen). Idempotent; safe to run on every CI run.
set -euo pipefail
rustup target add wasm32v1-none >/dev/null
if ! command -v wasm-opt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq binaryen >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq binaryen >/dev/null
  fi
fi
