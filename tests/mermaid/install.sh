#!/usr/bin/env bash
# Install the real Mermaid parser for tests/cli/timeline.rs: npm's `mermaid`,
# with `jsdom` for the browser it expects, outside the repository (in
# $ROADMAP_NODE_PREFIX, default ~/.cache/roadmap-ci/node). Idempotent and
# quiet: it does nothing when the pinned versions are there. Needs node and
# npm (and the npm registry, the first time).
set -euo pipefail

prefix="${ROADMAP_NODE_PREFIX:-$HOME/.cache/roadmap-ci/node}"
# Pinned, so a new Mermaid release cannot turn CI red overnight; bump both
# on purpose.
mermaid=11.17.2
jsdom=29.1.1

for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "tests/mermaid/install.sh: \`$tool\` is not installed (apt-get install nodejs npm)" >&2
        exit 1
    fi
done

version() {
    node -p "require(process.argv[1]).version" "$prefix/node_modules/$1/package.json" 2>/dev/null || true
}

if [[ "$(version mermaid)" == "$mermaid" && "$(version jsdom)" == "$jsdom" ]]; then
    exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "mermaid@$mermaid" "jsdom@$jsdom" >/dev/null
