#!/usr/bin/env bash
# Installs shell completion for intarsia (bash, zsh, fish) under the user's home.
# Usage: scripts/install-completions.sh [path/to/intarsia]   (default: .build/release/intarsia)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/intarsia}
[ -x "$bin" ] || swift build -c release --product intarsia
home=${HOME:?}
mkdir -p "$home/.local/share/bash-completion/completions" "$home/.zsh/completions" "$home/.config/fish/completions"
"$bin" --generate-completion-script bash > "$home/.local/share/bash-completion/completions/intarsia"
"$bin" --generate-completion-script zsh > "$home/.zsh/completions/_intarsia"
"$bin" --generate-completion-script fish > "$home/.config/fish/completions/intarsia.fish"
echo "installed completions for bash, zsh and fish (zsh: add ~/.zsh/completions to fpath)"
