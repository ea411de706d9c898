# shellcheck shell=bash
# tests/bench/lib.sh: what tests/bench/run (the small root) and tests/bench/full
# (the full Debian root) share: their prerequisites, building one image of
# each kind, and each image's kernel command line. Sources tests/boot/lib.sh.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/boot/lib.sh
. "$BENCH_DIR/../boot/lib.sh"

# bench_prereqs WHAT: root, and the packages a benchmark needs (installed
# with apt-get when missing), the cloud kernel, build/init and the builder.
bench_prereqs() {
	local p missing=""
	[ "$(id -u)" = 0 ] || tdie "$1 needs root (debootstrap, chroot, nfs-ganesha)"
	for p in debootstrap:debootstrap qemu-system-x86_64:qemu-system-x86 ganesha.nfsd:nfs-ganesha \
		rpcbind:rpcbind python3:python3 zstd:zstd cpio:cpio; do
		command -v "${p%%:*}" >/dev/null || missing="$missing ${p#*:}"
	done
	[ -e /usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so ] || missing="$missing nfs-ganesha-vfs"
	[ -x /bin/busybox ] || missing="$missing busybox-static"
	if [ -n "$missing" ]; then
		tlog "bench: installing:$missing"
		apt-get update >&2
		# shellcheck disable=SC2086 # a list of package names
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2
	fi
	ensure_kernel || tdie "no kernel in $NFSINIT_CACHE"
	for p in "$NFSINIT_SRC/build/init" "$NFSINIT_SRC/build/nfsinit-mkimage"; do
		[ -x "$p" ] || tdie "$p not built (make)"
	done
}

# bench_peers IMAGE...: the debootstrap chroots of the peers among IMAGES
# (made once, then reused from the cache); initramfs-tools configured for an
# NFS root the way its manual says.
bench_peers() {
	local img
	for img in "$@"; do
		case $img in itools|dracut) "$BENCH_DIR/peer-chroot" "$img" >/dev/null ;; esac
		[ "$img" = itools ] &&
			printf '# written by nfsinit tests/bench\nBOOT=nfs\nMODULES=netboot\n' \
				>"$NFSINIT_CACHE/bench/chroot-itools/etc/initramfs-tools/conf.d/nfsinit-bench"
	done
	return 0
}

now() { date +%s.%N; }

# bench_build IMAGE OUT LOG [KVER KDIR [FLOOR_MODULES]]: builds IMAGE into OUT
# for kernel KVER, modules in KDIR (default: the cloud kernel), and prints the
# seconds the builder itself took (peers: timed inside their chroot, without
# the mounts; they are built for the cloud kernel their chroots hold).
bench_build() {
	local img=$1 out=$2 log=$3 kver=${4:-$KVER} kdir=${5:-$KERNEL_DIR} t0 t1 dir
	case $img in
	nfsinit)
		t0=$(now)
		"$NFSINIT_SRC/build/nfsinit-mkimage" -k "$kver" -b "$kdir" -o "$out" >"$log" 2>&1 || return 1
		t1=$(now) ;;
	floor)
		t0=$(now)
		FLOOR_MODULES=${6:-${FLOOR_MODULES:-}} "$BENCH_DIR/busybox-floor/build" -k "$kver" -b "$kdir" \
			-o "$out" >"$log" 2>&1 || return 1
		t1=$(now) ;;
	itools|dracut)
		dir=$NFSINIT_CACHE/bench/chroot-$img
		rm -f "$dir/tmp/bench.img"
		# dracut: generic (not host-only: the chroot is not the node), the
		# nfs module with dracut's classic dhclient network stack.
		local cmd='mkinitramfs -o /tmp/bench.img "$1"'
		[ "$img" = dracut ] && cmd='dracut --force --no-hostonly --add "nfs network-legacy" --kver "$1" /tmp/bench.img'
		"$BENCH_DIR/peer-chroot" "$img" run /bin/sh -c \
			't0=$(date +%s.%N); '"$cmd"' || exit 1; echo "BENCH-BUILD $t0 $(date +%s.%N)"' \
			sh "$KVER" >"$log" 2>&1 || return 1
		read -r _ t0 t1 < <(grep '^BENCH-BUILD ' "$log") || return 1
		mv "$dir/tmp/bench.img" "$out" || return 1 ;;
	*) tdie "unknown image '$img'" ;;
	esac
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

# bench_append IMAGE: the kernel command line IMAGE boots the export
# $NFS_SERVER_GUEST:$NFS_PSEUDO with, each in its own spelling.
bench_append() {
	local common="console=ttyS0 panic=-1 printk.time=1"
	case $1 in
	dracut) echo "$common ip=dhcp rd.neednet=1 root=nfs:$NFS_SERVER_GUEST:$NFS_PSEUDO:vers=4.1" ;;
	*) echo "$common ip=dhcp root=/dev/nfs nfsroot=$NFS_SERVER_GUEST:$NFS_PSEUDO" ;;
	esac
}
