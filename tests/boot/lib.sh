# shellcheck shell=bash
# tests/boot/lib.sh: helpers the QEMU boot tests, the demo and the benchmark
# floor source (bash). Everything here talks to 127.0.0.1 only: the guest sits
# behind QEMU user networking and reaches the host's loopback as 10.0.2.2.
#
# Needs root (ganesha's VFS FSAL uses open_by_handle_at, which wants
# CAP_DAC_READ_SEARCH), qemu-system-x86, nfs-ganesha(-vfs), rpcbind,
# busybox-static, kmod, cpio.

NFSINIT_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NFSINIT_CACHE=${NFSINIT_CACHE:-$NFSINIT_SRC/tests/.cache}
BOOT_MEM_MB=${BOOT_MEM_MB:-512}
# The guest's view of the host's 127.0.0.1 under QEMU user networking.
# shellcheck disable=SC2034 # for the scripts that source this file
NFS_SERVER_GUEST=10.0.2.2
NFS_PSEUDO=/nfsroot

tlog() { printf '%s\n' "$*" >&2; }
tdie() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The report every test prints (t_pass, t_fail, t_skip, t_missing, t_finish).
# shellcheck source=tests/lib/report.sh
. "$NFSINIT_SRC/tests/lib/report.sh"

# kill_wait PID...: stop each process (ours, by PID), SIGKILL after 5 s, reap it.
kill_wait() {
	local pid
	for pid in "$@"; do
		[ -n "$pid" ] || continue
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		# Each may fail (gone already, not our child): fine under set -e too.
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	return 0
}

# ---------------------------------------------------------------- kernel

# ensure_kernel: a Debian cloud kernel unpacked under $NFSINIT_CACHE/kernel.
# Reuses whatever version is cached; otherwise asks apt which version the
# linux-image-cloud-amd64 metapackage points at and downloads that .deb.
# Exports KVER, KERNEL_DIR (the unpacked tree, modules in lib/modules/KVER)
# and VMLINUZ.
ensure_kernel() {
	_ensure_flavour cloud-amd64 "$NFSINIT_CACHE/kernel" || return 1
	KVER=$_kver KERNEL_DIR=$NFSINIT_CACHE/kernel
	VMLINUZ=$KERNEL_DIR/boot/vmlinuz-$KVER
	export KVER KERNEL_DIR VMLINUZ
}

# ensure_kernel_std: the same for Debian's standard amd64 flavour (the NIC
# drivers of real hardware: e1000, e1000e, igb, r8169, ...) under
# $NFSINIT_CACHE/kernel-std. Exports KVER_STD, KERNEL_STD_DIR, VMLINUZ_STD.
ensure_kernel_std() {
	_ensure_flavour amd64 "$NFSINIT_CACHE/kernel-std" || return 1
	KVER_STD=$_kver KERNEL_STD_DIR=$NFSINIT_CACHE/kernel-std
	VMLINUZ_STD=$KERNEL_STD_DIR/boot/vmlinuz-$KVER_STD
	export KVER_STD KERNEL_STD_DIR VMLINUZ_STD
}

# _ensure_flavour FLAVOUR DIR: sets _kver to the newest kernel unpacked in DIR,
# fetching linux-image-FLAVOUR's current kernel package first if there is none.
_ensure_flavour() {
	local flavour=$1 dir=$2 kver=""
	if [ -d "$dir/lib/modules" ]; then
		kver=$(find "$dir/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
	fi
	if [ -z "$kver" ] || [ ! -f "$dir/boot/vmlinuz-$kver" ]; then
		_fetch_kernel "$flavour" "$dir" || return 1
		kver=$(find "$dir/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
	fi
	if [ ! -f "$dir/lib/modules/$kver/modules.dep" ]; then
		depmod -b "$dir" "$kver" || return 1
	fi
	_kver=$kver
}

_fetch_kernel() {
	local flavour=$1 dir=$2 pkg dl
	command -v apt-get >/dev/null || { tlog "ensure_kernel: no apt-get, cannot fetch a kernel"; return 1; }
	pkg=$(apt-cache depends "linux-image-$flavour" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-[0-9].*-$flavour\)\$/\1/p" | head -n 1)
	if [ -z "$pkg" ]; then
		tlog "ensure_kernel: apt-cache knows no linux-image-$flavour (run apt-get update?)"
		return 1
	fi
	tlog "ensure_kernel: fetching $pkg into $NFSINIT_CACHE"
	dl=$NFSINIT_CACHE/deb-$flavour
	mkdir -p "$dl" || return 1
	rm -f "$dl"/linux-image-*.deb
	# apt-get download writes into the current directory; as root it also
	# needs the _apt user to be able to write there, so do it in a subshell.
	( cd "$dl" && chmod 0777 . && apt-get download "$pkg" ) || {
		tlog "ensure_kernel: apt-get download $pkg failed"; return 1; }
	rm -rf "$dir.tmp"
	dpkg -x "$dl"/"$pkg"_*.deb "$dir.tmp" || return 1
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
	local kver=${pkg#linux-image-}
	depmod -b "$dir" "$kver" || return 1
	rm -f "$dl"/"$pkg"_*.deb
}

# ---------------------------------------------------------------- roots

# build_testroot DIR [INIT]: a tiny root from Debian's static busybox with INIT
# (default: tests/boot/testroot-init) as /sbin/init. DIR is replaced.
build_testroot() {
	local dir=$1 init=${2:-$NFSINIT_SRC/tests/boot/testroot-init}
	local bb=/bin/busybox applet
	[ -n "$dir" ] && [ "$dir" != / ] || { tlog "build_testroot: bad DIR '$dir'"; return 1; }
	[ -x "$bb" ] || { tlog "build_testroot: no $bb (install busybox-static)"; return 1; }
	if ldd "$bb" >/dev/null 2>&1; then
		tlog "build_testroot: $bb is dynamically linked (install busybox-static)"; return 1
	fi
	rm -rf "$dir"
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,root,proc,sys,dev,run,tmp,var,lib}
	chmod 1777 "$dir/tmp"
	chmod 0700 "$dir/root"
	cp "$bb" "$dir/bin/busybox"
	for applet in $("$bb" --list-full); do
		case $applet in bin/busybox) continue ;; esac
		mkdir -p "$dir/$(dirname "$applet")"
		ln -sf /bin/busybox "$dir/$applet"
	done
	rm -f "$dir/sbin/init"
	install -m 0755 "$init" "$dir/sbin/init"
	cat >"$dir/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$dir/etc/group" <<-'EOF'
	root:x:0:
	nogroup:x:65534:
	EOF
	echo nfsinit-node >"$dir/etc/hostname"
	cat >"$dir/etc/hosts" <<-'EOF'
	127.0.0.1	localhost
	10.0.2.2	nfsserver
	EOF
}

# tree_sum DIR: one hash over names, types, modes, owners, sizes, mtimes,
# link targets and file contents. Used to prove a boot left the export alone.
tree_sum() {
	local dir=$1
	{
		(cd "$dir" && find . -printf '%p %y %m %U %G %s %T@ %l\n' | LC_ALL=C sort)
		(cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
	} | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- NFS server

# ganesha_conf FILE BIND PATH PSEUDO ACCESS PROTOCOLS RECOVERYDIR: one VFS
# export of PATH as PSEUDO (NFSv3 clients mount the same path), ACCESS RW or
# RO, PROTOCOLS "3, 4" or "4", owners as numbers (a systemd root has users
# the server does not know), no grace period (a fresh server has no clients
# to recover; the grace period would stall the first NFSv4 OPEN for 90 s).
# GANESHA_DELEGATIONS=read (or rw) lets the export hand out delegations.
ganesha_conf() {
	local file=$1 bind=$2 path=$3 pseudo=$4 access=$5 protos=$6 recovery=$7 nlm=false
	local deleg=${GANESHA_DELEGATIONS:-None}
	case $protos in *3*) nlm=true ;; esac
	# docs/server/ganesha.conf.in is the file docs/server.md shows.
	"$NFSINIT_SRC/docs/server/render" "$NFSINIT_SRC/docs/server/ganesha.conf.in" BIND="$bind" \
		PROTOCOLS="$protos" NLM="$nlm" GRACELESS=true GRACE_PERIOD=5 LEASE_LIFETIME=10 \
		RECOVERY="$recovery" DELEGATIONS="$deleg" DELEG_ON="$([ "$deleg" = None ] && echo false || echo true)" PATH="$path" PSEUDO="$pseudo" ACCESS="$access" >"$file"
}

# ganesha_rw_export FILE PROTOCOLS: with NFS_RW_EXPORT=DIR set, appends DIR
# as a second export, /persist, read-write (per-node state); else nothing.
ganesha_rw_export() {
	[ -n "${NFS_RW_EXPORT:-}" ] || return 0
	cat >>"$1" <<-EOF
	EXPORT {
		Export_Id = 2;
		Path = "$NFS_RW_EXPORT";
		Pseudo = /persist;
		Protocols = $2;
		Transports = TCP;
		Access_Type = RW;
		Squash = No_Root_Squash;
		SecType = sys;
		FSAL { Name = VFS; }
	}
	EOF
}

NFS_TMP=""
NFS_GANESHA_PID=""
NFS_RPCBIND_PID=""

# _port_listening PORT [NS]: does something listen on TCP port PORT, on the
# host or in network namespace NS?
_port_listening() {
	local wrap=()
	[ -n "${2:-}" ] && wrap=(ip netns exec "$2")
	# grep reads to the end: with -q, pipefail would see ss killed by SIGPIPE.
	"${wrap[@]}" ss -Hltn "sport = :$1" 2>/dev/null | grep . >/dev/null
}

# ganesha_start WHO WORK NS CHECK...: the one way a test starts nfs-ganesha:
# in the foreground (-F) as a child of the test, with WORK/ganesha.conf, its
# log and pid file in WORK; inside network namespace NS, or on the host when
# NS is empty. Waits up to 30 s until the command CHECK... succeeds. Sets
# GANESHA_PID; WHO names the caller in messages.
ganesha_start() {
	local who=$1 work=$2 ns=$3
	shift 3
	local args=(ganesha.nfsd -F -f "$work/ganesha.conf" -L "$work/ganesha.log" -p "$work/ganesha.pid")
	if [ -n "$ns" ]; then
		# A private, empty /run hides the host's rpcbind and D-Bus: a server
		# in a namespace must not register (and later unregister) itself
		# with the host's rpcbind. NFSv4 needs neither (ganesha logs that it
		# cannot register, and serves).
		ip netns exec "$ns" unshare --mount sh -c \
			'mount -t tmpfs -o mode=0755 nfsinit-run /run && exec "$@"' sh "${args[@]}" &
	else
		"${args[@]}" &
	fi
	GANESHA_PID=$!
	for _ in $(seq 150); do
		if ! kill -0 "$GANESHA_PID" 2>/dev/null; then
			tlog "$who: ganesha exited; its log:"; tail -n 20 "$work/ganesha.log" >&2
			GANESHA_PID=""
			return 1
		fi
		"$@" && return 0
		sleep 0.2
	done
	tlog "$who: ganesha did not answer within 30 s; its log:"
	tail -n 20 "$work/ganesha.log" >&2
	return 1
}

# nfs_start ROOTDIR: export ROOTDIR as 127.0.0.1:/nfsroot (NFSv3 and v4.x over
# TCP, rw, or ro with NFS_ACCESS=RO, no root squash) with nfs-ganesha, and
# wait until it answers.
# nfs_lock: take the lock on 127.0.0.1:2049 without starting a server (a test
# that boots a node while no server answers, then starts one: nfs_start).
# One server on 127.0.0.1:2049 at a time: runs started side by side (two
# developers, a benchmark and a test) wait here for each other.
nfs_lock() {
	[ -n "${NFS_LOCK_FD:-}" ] && return 0
	exec {NFS_LOCK_FD}>"${TMPDIR:-/tmp}/nfsinit-nfs.lock"
	flock -w 1800 "$NFS_LOCK_FD" || { tlog "nfs_lock: waited 30 min for another run's NFS server"; return 1; }
}

# _nfs_answers: the loopback server serves NFSv3 and its MOUNT protocol.
_nfs_answers() {
	_port_listening 2049 &&
	rpcinfo -t 127.0.0.1 nfs 3 >/dev/null 2>&1 &&
	rpcinfo -t 127.0.0.1 mountd 3 >/dev/null 2>&1
}

nfs_start() {
	local root=$1
	[ -d "$root" ] || { tlog "nfs_start: no such directory $root"; return 1; }
	nfs_lock || return 1
	command -v ganesha.nfsd >/dev/null || { tlog "nfs_start: ganesha.nfsd not installed (nfs-ganesha)"; return 1; }
	[ -e /usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so ] ||
		{ tlog "nfs_start: FSAL VFS missing (nfs-ganesha-vfs)"; return 1; }
	if _port_listening 2049; then
		tlog "nfs_start: something already listens on port 2049 (a kernel nfsd or another ganesha); not starting a second server"
		return 1
	fi
	NFS_TMP=$(mktemp -d /tmp/nfsinit-ganesha.XXXXXX) || return 1
	mkdir -p "$NFS_TMP/recovery"

	# ganesha registers with rpcbind; start one only if none runs, and then it is ours to stop.
	if ! pgrep -x rpcbind >/dev/null; then
		command -v rpcbind >/dev/null || { tlog "nfs_start: rpcbind not installed"; return 1; }
		rpcbind -w || { tlog "nfs_start: rpcbind failed to start"; return 1; }
		for _ in $(seq 50); do
			NFS_RPCBIND_PID=$(pgrep -n -x rpcbind) && break
			sleep 0.1
		done
		rpcinfo -p 127.0.0.1 >/dev/null 2>&1 || { tlog "nfs_start: rpcbind does not answer"; return 1; }
	fi

	ganesha_conf "$NFS_TMP/ganesha.conf" 127.0.0.1 "$root" "$NFS_PSEUDO" "${NFS_ACCESS:-RW}" "3, 4" "$NFS_TMP/recovery"
	# NFS_RW_EXPORT=DIR adds DIR as a second export, 127.0.0.1:/persist, that
	# nodes write to (per-node state, tests/boot/identity).
	ganesha_rw_export "$NFS_TMP/ganesha.conf" "3, 4"
	# Kept even when it does not answer: nfs_stop stops it then.
	local rc=0
	ganesha_start nfs_start "$NFS_TMP" "" _nfs_answers || rc=$?
	NFS_GANESHA_PID=$GANESHA_PID
	return $rc
}

nfs_log() { [ -n "$NFS_TMP" ] && cat "$NFS_TMP/ganesha.log"; }

# nfs_stop: stop the ganesha (and rpcbind) that nfs_start started, by PID.
nfs_stop() {
	kill_wait "$NFS_GANESHA_PID" "$NFS_RPCBIND_PID"
	NFS_GANESHA_PID=""
	NFS_RPCBIND_PID=""
	if [ -n "$NFS_TMP" ] && [ -z "${NFSINIT_KEEP_SERVER_LOG:-}" ]; then
		rm -rf "$NFS_TMP"
	fi
	NFS_TMP=""
	if [ -n "${NFS_LOCK_FD:-}" ]; then exec {NFS_LOCK_FD}>&-; NFS_LOCK_FD=""; fi
}

# ---------------------------------------------------------------- QEMU

# The guest's network (qemu -netdev): user networking unless a test wants a
# NIC nobody answers on, e.g. QEMU_NETDEV=hubport,id=n0,hubid=0 (an empty hub).
QEMU_NETDEV=${QEMU_NETDEV:-user,id=n0}

# qemu_boot KERNEL INITRD "APPEND" LOGFILE [TIMEOUT] [extra qemu args...]
# Boots one node under TCG with a virtio NIC on $QEMU_NETDEV, serial
# console into LOGFILE ("-" for stdout, "pipe:BASE" for the FIFOs BASE.in and
# BASE.out: see console_open), and returns when the guest powers off or
# reboots (-no-reboot), or 124 when TIMEOUT (default 120 s) ran out.
# BOOT_NETDEV / BOOT_NIC replace the -netdev / -device arguments (e.g. a MAC
# or a DHCP hostname per node: user,id=n0,hostname=node7 / ...,mac=...);
# BOOT_SMP gives the guest that many vCPUs (default 1).
qemu_boot() {
	local kernel=$1 initrd=$2 append=$3 log=$4 tmo=${5:-120} serial fg=()
	shift 4; [ $# -gt 0 ] && shift
	if [ "${log#pipe:}" != "$log" ]; then
		serial=(-serial "$log")
	elif [ "$log" = - ]; then
		serial=(-serial mon:stdio)
		# timeout otherwise runs QEMU in a background process group, and
		# QEMU stops (SIGTTOU) the moment it sets the terminal to raw mode.
		fg=(--foreground)
	else
		serial=(-serial "file:$log")
		: >"$log"
	fi
	# BOOT_NETNS=NS runs QEMU inside that network namespace, BOOT_NETDEV
	# replaces the user-mode netdev (e.g. tap,id=n0,ifname=X,script=no,downscript=no).
	local wrap=()
	[ -n "${BOOT_NETNS:-}" ] && wrap=(ip netns exec "$BOOT_NETNS")
	# /dev/kvm exists on the CI host but guests hang under it: TCG always.
	"${wrap[@]}" timeout "${fg[@]}" --kill-after=5 "$tmo" qemu-system-x86_64 \
		-accel tcg -m "$BOOT_MEM_MB" -smp "${BOOT_SMP:-1}" -nodefaults -no-user-config \
		-display none "${serial[@]}" -no-reboot \
		-netdev "${BOOT_NETDEV:-$QEMU_NETDEV}" -device "${BOOT_NIC:-virtio-net-pci,netdev=n0}" \
		-kernel "$kernel" -initrd "$initrd" -append "$append" "$@"
}

# ---------------------------------------------------------------- full Debian root

# The recipe of the cached debootstrap root: change it and the cache rebuilds.
FULLROOT_SUITE=bookworm
FULLROOT_PKGS=systemd,systemd-sysv,udev,dbus,libpam-systemd,polkitd,iproute2,kmod,procps
FULLROOT_MIRROR=${NFSINIT_MIRROR:-http://deb.debian.org/debian}

# _root_cached TOP RECIPE [-f]: TOP/root is a built root of RECIPE (and no
# -f asks for a new one); says so.
_root_cached() {
	[ "${3:-}" != -f ] && [ -x "$1/root/lib/systemd/systemd" ] &&
		[ "$(cat "$1/recipe" 2>/dev/null)" = "$2" ] || return 1
	tlog "${1##*/}: $1/root (cached)"
}

# ensure_fullroot [-f]: a debootstrap root (see FULLROOT_*) under
# $NFSINIT_CACHE/fullroot/root, built once and reused while its recipe is the
# same. Installs debootstrap with apt-get when it is missing. Exports FULLROOT
# and FULLROOT_BUILD_S (seconds the build took; empty when cached).
ensure_fullroot() {
	local top=$NFSINIT_CACHE/fullroot recipe t0
	recipe="$FULLROOT_SUITE $FULLROOT_MIRROR $FULLROOT_PKGS variant=minbase"
	FULLROOT=$top/root FULLROOT_BUILD_S=""
	export FULLROOT FULLROOT_BUILD_S
	_root_cached "$top" "$recipe" "${1:-}" && return 0
	if ! command -v debootstrap >/dev/null; then
		tlog "fullroot: installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >&2 ||
			{ tlog "fullroot: apt-get install debootstrap failed"; return 1; }
	fi
	mkdir -p "$top" || return 1
	rm -rf "$top/root.tmp" "$top/recipe"
	t0=$(date +%s)
	tlog "fullroot: debootstrap $FULLROOT_SUITE from $FULLROOT_MIRROR (log: $top/debootstrap.log)"
	if ! debootstrap --variant=minbase --include="$FULLROOT_PKGS" \
		"$FULLROOT_SUITE" "$top/root.tmp" "$FULLROOT_MIRROR" >"$top/debootstrap.log" 2>&1; then
		tlog "fullroot: debootstrap failed; last lines of $top/debootstrap.log:"
		tail -n 15 "$top/debootstrap.log" >&2
		return 1
	fi
	# Downloaded .debs are not part of the image.
	rm -f "$top/root.tmp"/var/cache/apt/archives/*.deb
	rm -rf "$FULLROOT"
	mv "$top/root.tmp" "$FULLROOT"
	echo "$recipe" >"$top/recipe"
	FULLROOT_BUILD_S=$(($(date +%s) - t0))
	tlog "fullroot: built in $FULLROOT_BUILD_S s ($(du -sm "$FULLROOT" | cut -f1) MiB)"
}

# The OS flavours tests/full/os boots: the base root plus one network stack,
# from the same mirror (the base's sources.list).
declare -A FULLROOT_FLAVOUR_PKGS=(
	[nm]="network-manager"
	[ifupdown]="ifupdown isc-dhcp-client"
	[netplan]="netplan.io"
)

# ensure_fullroot_flavour FLAVOUR [-f]: the base root (ensure_fullroot) with
# FULLROOT_FLAVOUR_PKGS[FLAVOUR] installed by apt-get in a chroot, cached as
# $NFSINIT_CACHE/fullroot-FLAVOUR/root while the base and the package list are
# the same. A real copy of the base, not hard links: maintainer scripts may
# write files in place, and the base is shared. No service starts in the
# chroot (policy-rc.d). Exports FLAVOUR_ROOT and FLAVOUR_BUILD_S.
ensure_fullroot_flavour() {
	local flavour=$1 top recipe t0 pkgs=${FULLROOT_FLAVOUR_PKGS[$1]:-}
	[ -n "$pkgs" ] || { tlog "fullroot-$flavour: no such flavour"; return 1; }
	ensure_fullroot "" || return 1   # never -f: the cached base is reused
	top=$NFSINIT_CACHE/fullroot-$flavour
	recipe="$(cat "$NFSINIT_CACHE/fullroot/recipe") + $pkgs"
	FLAVOUR_ROOT=$top/root FLAVOUR_BUILD_S=""
	export FLAVOUR_ROOT FLAVOUR_BUILD_S
	_root_cached "$top" "$recipe" "${2:-}" && return 0
	mkdir -p "$top" || return 1
	rm -rf "$top/root.tmp" "$top/recipe"
	t0=$(date +%s)
	tlog "fullroot-$flavour: apt-get install $pkgs (log: $top/apt.log)"
	cp -a --reflink=auto "$FULLROOT" "$top/root.tmp" || return 1
	rm -f "$top/root.tmp/etc/resolv.conf" && cp /etc/resolv.conf "$top/root.tmp/etc/resolv.conf" &&
	printf '#!/bin/sh\nexit 101\n' >"$top/root.tmp/usr/sbin/policy-rc.d" &&
	chmod 0755 "$top/root.tmp/usr/sbin/policy-rc.d" || return 1
	# A mount namespace of its own: /proc and /dev go away with it.
	# shellcheck disable=SC2016,SC2086 # expanded by the inner shell; pkgs is a list
	if ! unshare -m --propagation private sh -c 'r=$1; shift
		mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
		chroot "$r" apt-get update && DEBIAN_FRONTEND=noninteractive chroot "$r" \
			apt-get install -y --no-install-recommends "$@"' sh "$top/root.tmp" $pkgs >"$top/apt.log" 2>&1; then
		tlog "fullroot-$flavour: apt-get failed; last lines of $top/apt.log:"
		tail -n 15 "$top/apt.log" >&2
		return 1
	fi
	rm -f "$top/root.tmp/usr/sbin/policy-rc.d" "$top/root.tmp"/var/cache/apt/archives/*.deb
	rm -rf "$top/root.tmp"/var/lib/apt/lists/*
	rm -rf "$FLAVOUR_ROOT"
	mv "$top/root.tmp" "$FLAVOUR_ROOT"
	echo "$recipe" >"$top/recipe"
	FLAVOUR_BUILD_S=$(($(date +%s) - t0))
	tlog "fullroot-$flavour: built in $FLAVOUR_BUILD_S s ($(du -sm "$FLAVOUR_ROOT" | cut -f1) MiB)"
}

# _replace DIR/PATH: make PATH a fresh file of its own before it is written.
# Image copies share their files with the cache (cp -al), and a write through
# a shared inode would change the cache and every other copy.
_replace() { rm -f "$1" && mkdir -p "$(dirname "$1")"; }

# full_prepare_root SRC DST VERSION [SETUP]: DST becomes a copy of the cached root SRC
# (hard links, so it costs seconds, not a copy of 300 MB) made ready for
# diskless nodes by nfsinit-prepare-root, the command administrators run
# (empty machine-id, no hostname, fstab, image version, the test kernel's
# modules, systemd-networkd enabled: docs/server.md). It replaces files and never
# writes in place, so the cache keeps its inodes. SETUP, a command, is run
# with DST first: what the image's own administrator would have configured
# (it must replace files too, _replace). Then what only the test needs:
#   - unless nfsinit hands the network over itself (FULL_HANDOVER=1), a
#     .network of the image's own keeps the root NIC's address and renews its
#     lease (DHCP, same client identifier);
#   - no getty on ttyS0: the test talks to the check unit there;
#   - the check unit (tests/full/node-check).
full_prepare_root() {
	local src=$1 dst=$2 version=$3 setup=${4:-} f out
	[ -d "$src" ] && [ -n "$dst" ] && [ "$dst" != / ] || { tlog "full_prepare_root: bad SRC/DST"; return 1; }
	rm -rf "$dst"
	cp -al "$src" "$dst" || return 1
	[ -z "$setup" ] || "$setup" "$dst" || { tlog "full_prepare_root: $setup $dst failed"; return 1; }
	out=$("$NFSINIT_SRC/build/nfsinit-prepare-root" --image-version "$version" \
		${KVER:+--modules-from "$KERNEL_DIR:$KVER"} "$dst" 2>&1) ||
		{ tlog "full_prepare_root: nfsinit-prepare-root failed: $out"; return 1; }
	if [ -z "${FULL_HANDOVER:-}" ]; then
		f=$dst/etc/systemd/network/80-cluster-dhcp.network
		_replace "$f"
		cat >"$f" <<-'EOF'
		# The image's own network configuration (without nfsinit's hand-over):
		# keep what the initramfs configured, renew the same lease.
		[Match]
		Type=ether

		[Network]
		DHCP=ipv4
		KeepConfiguration=yes
		LinkLocalAddressing=no
		IPv6AcceptRA=no

		[DHCPv4]
		ClientIdentifier=mac
		SendRelease=no
		EOF
	fi
	systemctl --root="$dst" --quiet mask serial-getty@ttyS0.service || return 1
	f=$dst/usr/local/sbin/nfsinit-node-check
	_replace "$f"
	install -m 0755 "$NFSINIT_SRC/tests/full/node-check" "$f"
	f=$dst/etc/systemd/system/nfsinit-node-check.service
	_replace "$f"
	install -m 0644 "$NFSINIT_SRC/tests/full/nfsinit-node-check.service" "$f"
	systemctl --root="$dst" --quiet enable nfsinit-node-check.service || return 1
}

# ---------------------------------------------------------------- network namespaces

# For boots whose network must come from a real DHCP server (root-path in
# option 17, lease renewal, PXE): a network namespace with a tap device per
# QEMU NIC (run qemu_boot with BOOT_NETNS=NS BOOT_NETDEV=tap,..., or
# qemu_pxe), dnsmasq and an NFSv4-only ganesha. Its own network stack: no lock
# on 127.0.0.1 needed, no rpcbind. Name everything after your issue or test
# (nfsiN-...) so runs of different tests never share a namespace.

NETNS_PIDS=()

# netns_up NS: (re)creates NS with lo up; an old NS of that name (a killed
# run) is deleted first.
netns_up() {
	ip netns del "$1" 2>/dev/null
	ip netns add "$1" || { tlog "netns_up: ip netns add $1 failed"; return 1; }
	ip -n "$1" link set lo up
}

# netns_tap_add NS TAP [BRIDGE]: a tap device for one QEMU NIC, up, on BRIDGE
# when given.
netns_tap_add() {
	ip -n "$1" tuntap add dev "$2" mode tap &&
	ip -n "$1" link set "$2" ${3:+master "$3"} up ||
		{ tlog "netns_tap_add: tap $2 in $1 failed"; return 1; }
}

# netns_tap_setup NS TAP ADDR/PREFIX: (re)creates NS with lo up and TAP
# holding ADDR (one node, no bridge).
netns_tap_setup() {
	netns_up "$1" && netns_tap_add "$1" "$2" && ip -n "$1" addr add "$3" dev "$2"
}

# netns_dhcp_start NS IFACE LOG RANGE [DNSMASQ ARGS...]: dnsmasq answering on
# IFACE only, logging every exchange to LOG; leases in LOG.leases. Waits
# until it listens on port 67.
netns_dhcp_start() {
	local ns=$1 ifc=$2 log=$3 range=$4 pid
	shift 4
	ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
		--interface="$ifc" --bind-dynamic --except-interface=lo \
		--dhcp-range="$range" --dhcp-leasefile="$log.leases" --pid-file= \
		--log-dhcp --no-ping "$@" >"$log" 2>&1 &
	pid=$!
	NETNS_PIDS+=("$pid")
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || {
			tlog "netns_dhcp_start: dnsmasq exited:"; tail -n 5 "$log" >&2; return 1; }
		ip netns exec "$ns" ss -Hlun "sport = :67" | grep . >/dev/null && return 0
		sleep 0.1
	done
	tlog "netns_dhcp_start: dnsmasq does not listen on port 67 in $ns"
	return 1
}

# netns_nfs_start NS ADDR DIR WORKDIR [PSEUDO [ACCESS]]: ganesha exporting DIR
# as ADDR:PSEUDO (default /nfsroot) over NFSv4 only, ACCESS RW (default) or
# RO (and NFS_RW_EXPORT as ADDR:/persist); config and log in WORKDIR. Waits until it listens on ADDR:2049.
netns_nfs_start() {
	local ns=$1 addr=$2 dir=$3 work=$4 pseudo=${5:-$NFS_PSEUDO} access=${6:-RW}
	mkdir -p "$work/recovery" || return 1
	ganesha_conf "$work/ganesha.conf" "$addr" "$dir" "$pseudo" "$access" 4 "$work/recovery"
	ganesha_rw_export "$work/ganesha.conf" 4
	local rc=0
	ganesha_start netns_nfs_start "$work" "$ns" _port_listening 2049 "$ns" || rc=$?
	# Kept even when it does not listen: netns_stop stops it then.
	[ -n "$GANESHA_PID" ] && NETNS_PIDS+=("$GANESHA_PID")
	return $rc
}

# netns_stop NS: stops what netns_dhcp_start/netns_nfs_start started (by PID)
# and deletes NS.
netns_stop() {
	kill_wait "${NETNS_PIDS[@]}"
	NETNS_PIDS=()
	ip netns del "$1" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- PXE

# pxe_ns_up NS BRIDGE ADDR: netns_up NS plus a bridge holding ADDR/24; the
# nodes' taps join the bridge (netns_tap_add NS TAP BRIDGE). Remembers NS,
# BRIDGE and ADDR for pxe_dnsmasq_start and qemu_pxe.
PXE_NS="" PXE_BR="" PXE_ADDR=""
pxe_ns_up() {
	PXE_NS=$1 PXE_BR=$2 PXE_ADDR=$3
	netns_up "$PXE_NS" &&
	ip -n "$PXE_NS" link add name "$PXE_BR" type bridge forward_delay 0 stp_state 0 &&
	ip -n "$PXE_NS" addr add "$PXE_ADDR/24" dev "$PXE_BR" &&
	ip -n "$PXE_NS" link set "$PXE_BR" up || { tlog "pxe_ns_up: bridge $PXE_BR in $PXE_NS failed"; return 1; }
}

# pxe_dnsmasq_start TFTPDIR ROOTPATH WORKDIR [dnsmasq options...]: DHCP on the
# bridge with ROOTPATH as option 17, TFTP from TFTPDIR. iPXE (QEMU's NIC ROM)
# announces itself with option 175 and gets boot.ipxe; other PXE clients get
# nothing to boot. Extra options (e.g. --dhcp-host=MAC,IP,NAME) pass through.
pxe_dnsmasq_start() {
	local tftp=$1 rootpath=$2 work=$3 net=${PXE_ADDR%.*}
	shift 3
	# docs/server/dnsmasq-nfsinit.conf.in is the file docs/server.md shows; the
	# PXE ROM's own request (no option 175) gets nothing here: QEMU's ROM is iPXE.
	"$NFSINIT_SRC/docs/server/render" "$NFSINIT_SRC/docs/server/dnsmasq-nfsinit.conf.in" ROOTPATH="$rootpath" \
		IPXE_SCRIPT=boot.ipxe PXE_LOADER=undionly.kpxe TFTP_ROOT="$tftp" >"$work/dnsmasq-nfsinit.conf" || return 1
	netns_dhcp_start "$PXE_NS" "$PXE_BR" "$work/dnsmasq.log" "$net.100,$net.199,255.255.255.0,1h" \
		--dhcp-option=option:router,"$PXE_ADDR" --conf-file="$work/dnsmasq-nfsinit.conf" "$@"
}

# pxe_ipxe_script FILE KERNEL INITRD APPEND: the script iPXE fetches; it boots
# KERNEL with APPEND plus BOOTIF, so nfsinit uses the NIC that PXE booted.
pxe_ipxe_script() {
	"$NFSINIT_SRC/docs/server/render" "$NFSINIT_SRC/docs/server/boot.ipxe.in" KERNEL="$2" INITRD="$3" APPEND="$4" >"$1"
}

# qemu_pxe TAP MAC CONSOLE PIDVAR [qemu args...]: starts one node in the
# namespace, booting from its NIC (no -kernel). The serial console goes
# through console_open's FIFOs CONSOLE.in and CONSOLE.out, copied into
# CONSOLE.log. Sets PIDVAR to QEMU's PID and PIDVAR_READER to the reader's.
# Reboots are real reboots (PXE again); QEMU exits when the node powers off.
qemu_pxe() {
	local tap=$1 mac=$2 con=$3 pidvar=$4
	shift 4
	console_open "$con" "$con.log" || return 1
	printf -v "${pidvar}_READER" %s "$CONSOLE_READER"
	ip netns exec "$PXE_NS" qemu-system-x86_64 \
		-accel tcg -m "$BOOT_MEM_MB" -smp 1 -nodefaults -no-user-config -display none \
		-chardev pipe,id=con0,path="$con" -serial chardev:con0 \
		-netdev tap,id=n0,ifname="$tap",script=no,downscript=no \
		-device virtio-net-pci,netdev=n0,mac="$mac" \
		-boot n "$@" &
	printf -v "$pidvar" %s $!
}

# ---------------------------------------------------------------- console

# console_open BASE LOG: FIFOs BASE.in/BASE.out for a QEMU pipe chardev
# (qemu_boot ... pipe:BASE, qemu_pxe); a reader copies what the guest prints
# into LOG, console_send BASE writes to its console. QEMU opens both FIFOs
# read-write, so nothing blocks on start-up order. Sets CONSOLE_READER (PID).
CONSOLE_READER=""
console_open() {
	local base=$1 log=$2
	rm -f "$base.in" "$base.out"
	mkfifo "$base.in" "$base.out" || return 1
	: >"$log"
	cat "$base.out" >>"$log" &
	CONSOLE_READER=$!
}

# console_close: stops the reader of the last console_open.
console_close() { kill_wait "$CONSOLE_READER"; CONSOLE_READER=""; }

# console_send BASE TEXT: types one line into the guest's serial console
# (gives up after 10 s if QEMU no longer reads it).
console_send() { timeout 10 sh -c 'printf "%s\n" "$2" >"$1.in"' sh "$1" "$2"; }

# console_wait LOG REGEX SECONDS [PID] [FROM]: waits until a console line from
# byte FROM on (default 1) matches (grep -E), and prints the last such line;
# returns 1 when SECONDS pass or PID (QEMU) exits first.
console_wait() {
	local log=$1 re=$2 pid=${4:-} from=${5:-1} end line gone=""
	end=$((SECONDS + $3))
	while :; do
		[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && gone=1
		line=$(tail -c +"$from" "$log" | tr -d '\r' | grep -aE "$re" | tail -n 1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		{ [ -n "$gone" ] || [ "$SECONDS" -ge "$end" ]; } && return 1
		sleep 0.2
	done
}

# For the full nodes (tests/full/node-check reports "NFSCHK key=value" lines):
# val LOG KEY [FROM]: the last "NFSCHK KEY=value" of a console from byte FROM on.
val() { tail -c +"${3:-1}" "$1" | tr -d '\r' | sed -n "s/^NFSCHK $2=//p" | tail -n 1; }
# con_has LOG FROM REGEX: a console line from byte FROM on matches (grep
# reads to the end: with -q, pipefail would see tr killed by SIGPIPE).
con_has() { tail -c +"$2" "$1" | tr -d '\r' | grep -aE "$3" >/dev/null; }
size() { stat -c %s "$1"; }

# ---------------------------------------------------------------- boot verdicts

# A boot test case collects what went wrong in $why, then verdict reports it.
# has LOG REGEX [WHAT] / hasnt: a console line matches (grep -E), or none does.
has() { tr -d '\r' <"$1" | grep -aE "$2" >/dev/null || why="${why:+$why; }no console line /$2/${3:+ ($3)}"; }
hasnt() { ! tr -d '\r' <"$1" | grep -aE "$2" >/dev/null || why="${why:+$why; }unexpected console line /$2/${3:+ ($3)}"; }
# booted LOG RC: qemu_boot returned RC and the root's init reported PASS ($tmo
# names the timeout in the reason).
booted() {
	local line
	line=$(tr -d '\r' <"$1" | grep -a '^NFSINIT-RESULT: ' | tail -n 1)
	case $2 in 0) ;; 124|137) why="${why:+$why; }no power-off within ${tmo:-?} s" ;; *) why="${why:+$why; }qemu exited with $2" ;; esac
	case $line in
	"NFSINIT-RESULT: PASS "*) ;;
	"NFSINIT-RESULT: FAIL "*) why="${why:+$why; }node says: ${line#NFSINIT-RESULT: FAIL }" ;;
	*) why="${why:+$why; }the root's /sbin/init never reported" ;;
	esac
}
# stopped LOG RC: the node must end (power off or reboot) without the root's init.
stopped() {
	case $2 in 0) ;; 124|137) why="${why:+$why; }node neither rebooted nor powered off within ${tmo:-?} s" ;;
	*) why="${why:+$why; }qemu exited with $2" ;; esac
	hasnt "$1" '^NFSINIT-RESULT: ' "the root's init ran; the boot should have failed"
}
# verdict CASE LOG DETAIL: t_pass, or t_fail with $why; the export
# $VERDICT_TREE must still hash (tree_sum) to $VERDICT_SUM.
verdict() {
	[ "$(tree_sum "$VERDICT_TREE")" = "$VERDICT_SUM" ] || why="${why:+$why; }the export changed on the server"
	if [ -z "$why" ]; then t_pass "$1" "$3"; else t_fail "$1" "$why" "$2"; fi
}
# line_of LOG REGEX: the first matching console line without nfsinit's stamp.
line_of() { tr -d '\r' <"$1" | grep -aE "$2" | head -n 1 | sed 's/^nfsinit: \[[ 0-9.]*\] //'; }
