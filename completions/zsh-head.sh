#compdef deploydesk
# zsh completion for deploydesk (built from completions/ by meson).
