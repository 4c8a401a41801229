# Source this file: it puts Node.js 24 first on PATH. When the machine's node is older, Node 24 is
# installed from the npm registry (the `node` package) into .tools/node — never downloaded from
# anywhere else — and reused on later runs.
pinion_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pinion_node_major=24

pinion_node_ok() {
  local major
  major=$("$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" = "$pinion_node_major" ]
}

if ! pinion_node_ok node; then
  pinion_node_prefix="$pinion_root/.tools/node"
  if ! pinion_node_ok "$pinion_node_prefix/bin/node"; then
    echo "pinion: installing Node.js $pinion_node_major from the npm registry into .tools/node" >&2
    npm install --global --prefix "$pinion_node_prefix" --no-audit --no-fund --loglevel=error \
      "node@$pinion_node_major" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$pinion_node_prefix/bin:$PATH"
fi
