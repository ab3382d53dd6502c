
# bash: complete -F with the candidates above.
_deploydesk() {
	local cur=${COMP_WORDS[COMP_CWORD]} cands
	cands=$(_deploydesk_candidates "${COMP_WORDS[0]}" "$COMP_CWORD" \
		"${COMP_WORDS[@]}")
	[ "$cur" = "=" ] && cur=
	if [ "$cands" = __files__ ]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -W "$cands" -- "$cur")
	fi
}
complete -F _deploydesk deploydesk
