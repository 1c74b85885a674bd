# SPDX-License-Identifier: GPL-2.0
# bash completion for shadowvmm(8)

_shadowvmm_vms()
{
	# The ids of existing VMs; nothing when the module or root is missing.
	shadowvmm list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_shadowvmm()
{
	local cur prev cmd i
	local commands="run create load start stop destroy list show stats console monitor translate help"

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands -j --json -h --help -V --version" -- "$cur"))
		return
	fi
	case $prev in
	--mem) COMPREPLY=($(compgen -W "16M 32M 64M 128M 256M" -- "$cur")); return ;;
	--mmu-pages) COMPREPLY=($(compgen -W "64 256 1024" -- "$cur")); return ;;
	--watch) COMPREPLY=($(compgen -W "0.5 1 2 5" -- "$cur")); return ;;
	--count | -f | --filter) return ;;
	--cmdline) return ;;
	--initrd | --module) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	case $cmd in
	run)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--mem --mmu-pages --cmdline --initrd --module -n --no-input" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur") $(compgen -d -- "$cur"))
		fi ;;
	create) COMPREPLY=($(compgen -W "--mem --mmu-pages -j --json" -- "$cur")) ;;
	load)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--cmdline --initrd --module" -- "$cur"))
		elif [ "$prev" = load ]; then
			COMPREPLY=($(compgen -W "$(_shadowvmm_vms)" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -X '!*.elf' -- "$cur") $(compgen -d -- "$cur"))
		fi ;;
	start | stop | destroy) COMPREPLY=($(compgen -W "$(_shadowvmm_vms)" -- "$cur")) ;;
	show) COMPREPLY=($(compgen -W "-j --json $(_shadowvmm_vms)" -- "$cur")) ;;
	stats)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--watch --count -f --filter --csv -j --json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_shadowvmm_vms)" -- "$cur"))
		fi ;;
	translate)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--write --user --fetch -j --json" -- "$cur"))
		elif [ "$prev" = translate ]; then
			COMPREPLY=($(compgen -W "$(_shadowvmm_vms)" -- "$cur"))
		fi ;;
	console) COMPREPLY=($(compgen -W "--follow -n --no-input $(_shadowvmm_vms)" -- "$cur")) ;;
	monitor) COMPREPLY=($(compgen -W "-j --json $(_shadowvmm_vms)" -- "$cur")) ;;
	list) COMPREPLY=($(compgen -W "-j --json" -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
}

complete -F _shadowvmm shadowvmm
