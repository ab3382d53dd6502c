# _deploydesk_candidates PROGRAM CWORD WORD...: what may come at word CWORD
# (counted from 0, the program) of the command line WORD..., one per line;
# or "__files__" for a file name. Shared by the bash and zsh completions,
# so it is written in what both shells run alike (no arrays).
#
# Commands and options come from the program's own help (one table drives
# both), read in the C locale; project codes, logins and ids from the
# database the command line names (--db), read with --format csv.
_deploydesk_candidates() {
	local prog=$1 cword=$2 i=0 w cur='' db='' as='' pending='' after_dd=''
	local noun='' verb='' nops=0 valued='' usage='' want=''
	shift 2
	for w in "$@"; do
		if [ "$i" -ge "$cword" ]; then
			cur=$w
			break
		fi
		i=$((i + 1))
		[ "$i" -eq 1 ] && continue
		if [ -n "$pending" ]; then
			# COMP_WORDS splits --env=PROD at the "=".
			[ "$w" = "=" ] && continue
			case $pending in
			--db) db=$w ;;
			--as) as=$w ;;
			esac
			pending=
			continue
		fi
		if [ -z "$after_dd" ]; then
			case $w in
			--) after_dd=1; continue ;;
			--db | --as | --format | --encoding | --project)
				pending=$w
				continue
				;;
			--db=*) db=${w#--db=}; continue ;;
			--as=*) as=${w#--as=}; continue ;;
			--*=*) continue ;;
			--*)
				# A command's option that takes a value: its help
				# writes it "  --name VALUE".
				if [ -n "$valued" ] &&
					printf '%s\n' "$valued" | grep -qx -- "$w"; then
					pending=$w
				fi
				continue
				;;
			-?*) continue ;;
			esac
		fi
		# help COMMAND [VERB]: the words of a command, not run.
		if [ "$noun" = help ]; then
			if [ -z "$verb" ]; then
				verb=$w
			else
				nops=$((nops + 1))
			fi
			continue
		fi
		if [ -z "$noun" ]; then
			noun=$w
			[ "$noun" = help ] && continue
			# Read whole (no pipe closed early on the program).
			usage=$(LC_ALL=C "$prog" help "$noun" 2>/dev/null)
			case $usage in
			"Usage: deploydesk $noun COMMAND"*) continue ;;
			esac
			verb=-
		elif [ -z "$verb" ]; then
			verb=$w
		else
			nops=$((nops + 1))
			continue
		fi
		if [ "$verb" = - ]; then
			usage=$(LC_ALL=C "$prog" help "$noun" 2>/dev/null)
		else
			usage=$(LC_ALL=C "$prog" help "$noun" "$verb" 2>/dev/null)
		fi
		valued=$(printf '%s\n' "$usage" |
			sed -n 's/^  \(--[a-z-]*\) [A-Z"].*/\1/p')
	done

	# What the word is: an option's value, an option, a command, an operand.
	if [ "$noun" = help ]; then
		# help, help deploy, help deploy create: nothing after that.
		if [ -z "$verb" ]; then
			want='command'
		elif [ "$nops" -eq 0 ]; then
			noun=$verb
			want='verb'
		fi
	elif [ -n "$pending" ]; then
		want=$pending
	elif [ -z "$after_dd" ] && [ "${cur#-}" != "$cur" ]; then
		want='option'
	elif [ -z "$noun" ]; then
		want='command'
	elif [ -z "$verb" ]; then
		want='verb'
	else
		# The operand's name in the usage line: "Usage: deploydesk deploy
		# create PROJECT --version V ..." holds PROJECT first.
		want=$(printf '%s\n' "$usage" | awk -v n=$((nops + 1)) 'NR == 1 {
			for (i = 3; i <= NF; i++) {
				if ($i ~ /^--/) { i++; continue }
				if ($i !~ /^\[?[A-Z]+\]?$/) continue
				if (--n == 0) { gsub(/[][]/, "", $i); print $i; exit }
			}
		}')
	fi

	case $want in
	--db | --logs-file | --checkpoint | FROM | TO) echo __files__ ;;
	--format) printf '%s\n' table csv json ;;
	--encoding) printf '%s\n' UTF-8 CP1252 ISO-8859-15 ;;
	--env) printf '%s\n' DEV TEST PREPROD PROD ;;
	--status) printf '%s\n' A_FAIRE EN_COURS TERMINEE ECHEC ;;
	--role) printf '%s\n' chef dev dev-senior viewer ;;
	--as | --responsible | LOGIN) _deploydesk_rows "$prog" "$db" "$as" user list ;;
	--project | PROJECT) _deploydesk_rows "$prog" "$db" "$as" project list ;;
	option)
		# The command's own options, then the global ones that may
		# follow a command (not --demo, --project, --version).
		{
			[ -n "$usage" ] && printf '%s\n' "$usage" |
				sed -n 's/^  \(--[a-z-]*\).*/\1/p'
			LC_ALL=C "$prog" --help 2>/dev/null |
				sed -n 's/^  \(--[a-z-]*\).*/\1/p' |
				if [ -n "$noun" ]; then
					grep -vx -e --demo -e --project -e --version
				else
					cat
				fi
		} | awk '!seen[$0]++'
		;;
	command)
		LC_ALL=C "$prog" --help 2>/dev/null |
			sed -n '/^Commands:$/,/^$/s/^  \([a-z][a-z]*\).*/\1/p' | uniq
		echo help
		;;
	verb)
		LC_ALL=C "$prog" help "$noun" 2>/dev/null |
			sed -n "s/^  $noun \\([a-z][a-z]*\\).*/\\1/p"
		;;
	STAGE) printf '%s\n' CONCEPTION DEVELOPPEMENT TESTS DEPLOIEMENT ;;
	STATUS) printf '%s\n' A_FAIRE EN_COURS TERMINEE ;;
	ID)
		# The newest ids of each project: deployments, or incidents.
		local kind=deploy code
		[ "$noun" = incident ] && kind=incident
		for code in $(_deploydesk_rows "$prog" "$db" "$as" project list); do
			_deploydesk_rows "$prog" "$db" "$as" "$kind" list "$code" \
				--limit 50
		done
		;;
	esac
}

# _deploydesk_rows PROGRAM DB AS COMMAND...: the first column of a list.
_deploydesk_rows() {
	local prog=$1 db=$2 as=$3
	shift 3
	if [ -n "$db" ] && [ -n "$as" ]; then
		set -- --db "$db" --as "$as" "$@"
	elif [ -n "$db" ]; then
		set -- --db "$db" "$@"
	elif [ -n "$as" ]; then
		set -- --as "$as" "$@"
	fi
	"$prog" --format csv --csv-safe=no "$@" 2>/dev/null |
		sed -n '2,$s/^\([^,]*\).*/\1/p' | tr -d '\r'
}
