# bash completion for deploydesk (built from completions/ by meson).
