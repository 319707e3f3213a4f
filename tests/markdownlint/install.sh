#!/usr/bin/env bash
# Install markdownlint-cli2 for tests/cli/markdown.rs, which lints every
# `--format markdown` report with it (and the committed configuration beside
# this script), outside the repository (in $ROADMAP_MARKDOWNLINT_PREFIX,
# default ~/.cache/roadmap-ci/markdownlint). Idempotent and quiet: it does
# nothing when the pinned version is there. Needs node (20 or later) and npm
# (and the npm registry, the first time).
set -euo pipefail

prefix="${ROADMAP_MARKDOWNLINT_PREFIX:-$HOME/.cache/roadmap-ci/markdownlint}"
# Pinned, so a new rule cannot turn CI red overnight; bump on purpose. The
# last release that runs on node 20 (0.23 needs node 22).
version=0.22.1

for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "tests/markdownlint/install.sh: \`$tool\` is not installed (apt-get install nodejs npm)" >&2
        exit 1
    fi
done

package="$prefix/node_modules/markdownlint-cli2/package.json"
if [[ "$(node -p "require(process.argv[1]).version" "$package" 2>/dev/null || true)" == "$version" ]]; then
    exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "markdownlint-cli2@$version" >/dev/null
