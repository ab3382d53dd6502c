# SPDX-License-Identifier: MIT
# bash completion for deploydesk (built from completions/ by meson).
