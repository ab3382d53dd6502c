#compdef deploydesk
# SPDX-License-Identifier: MIT
# zsh completion for deploydesk (built from completions/ by meson).
