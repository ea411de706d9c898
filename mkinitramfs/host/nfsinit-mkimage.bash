# bash completion for nfsinit-mkimage(8)
_nfsinit_mkimage()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-k | --kver)
		COMPREPLY=($(compgen -W "$(ls /lib/modules 2>/dev/null)" -- "$cur"))
		return ;;
	-s | --set)
		COMPREPLY=($(compgen -W "netboot host none" -- "$cur"))
		return ;;
	-c | --compress)
		COMPREPLY=($(compgen -W "zstd gzip xz none" -- "$cur"))
		return ;;
	-b | --basedir | --hooks | --templates)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	-i | --init | -o | --output | -l | --list | --config | --add | --busybox)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-m | --modules | --on-demand)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-k --kver -b --basedir -i --init -o --output -s --set
			-m --modules --on-demand --no-default-modules -c --compress --add --hooks
			--templates --busybox --config -l --list -v --verbose -h --help --version" -- "$cur"))
	fi
} &&
complete -F _nfsinit_mkimage nfsinit-mkimage
