
# zsh: the words as compsys gives them (counted from 1).
_deploydesk() {
	local cands
	cands=$(_deploydesk_candidates "${words[1]}" "$((CURRENT - 1))" \
		"${words[@]}")
	if [[ $cands == __files__ ]]; then
		_files
	else
		compadd -- ${(f)cands}
	fi
}

_deploydesk "$@"
