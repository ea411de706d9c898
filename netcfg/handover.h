/* Hand-over to the booted system: one struct net_lease rendered into the
 * files each network manager of the real root reads, so that none of them
 * tears down the interface the root filesystem lives on. Renderers are pure
 * (struct in, text out); handover_write() does the file I/O. */
#ifndef NFSINIT_HANDOVER_H
#define NFSINIT_HANDOVER_H

#include <sys/types.h>
#include <stddef.h>
#include "netcfg.h"

enum handover_kind {
	HANDOVER_KLIBC,      /* /run/net-<if>.conf: initramfs-tools, klibc ipconfig format */
	HANDOVER_NETWORKD,   /* /run/systemd/network/05-nfsinit-<if>.network */
	HANDOVER_NETPLAN,    /* /run/netplan/05-nfsinit-<if>.yaml, critical: true */
	HANDOVER_NM,         /* /run/NetworkManager/conf.d/90-nfsinit-<if>.conf, unmanaged */
	HANDOVER_LINK,       /* /run/systemd/network/10-nfsinit-<if>.link: keeps the NIC's name */
	HANDOVER_RESOLV,     /* <newroot>/etc/resolv.conf */
	HANDOVER_KINDS
};

/* Path of kind k for interface ifname, relative to /run (for the /run files)
 * or to the new root (resolv.conf). Returns its length or -ENAMETOOLONG. */
int handover_path(enum handover_kind k, const char *ifname, char *buf, size_t cap);

/* Renders kind k. Returns the text length or -ENOSPC (never truncates),
 * -ENODATA when the lease gives this kind nothing to say (no DNS at all),
 * -EINVAL for the .link of a lease without an interface name. */
int handover_render(enum handover_kind k, const struct net_lease *l, char *buf, size_t cap);

/* Clears hostname, domain or search names that are not plain DNS names
 * (letters, digits, '-', '_', '.'; search: separated by single spaces): they
 * end up in shell-sourced and line-based files. Returns a bitmask of what
 * was cleared: 1 hostname, 2 domain, 4 search. */
int handover_sanitize(struct net_lease *l);

/* Writes every file: the /run ones under run_dir, resolv.conf under
 * root_dir/etc. Logs each failure by path and goes on; returns 0 or the
 * first -errno. */
int handover_write(const struct net_lease *l, const char *run_dir, const char *root_dir); /* root_dir NULL: no resolv.conf */

/* Writes one rendered file atomically: len is its renderer's result
 * (-ENODATA: nothing to write, not an error). Logs what failed. */
int handover_put(const char *path, const char *text, int len, mode_t mode);

/* The network stage's early copy of the .link (HANDOVER_LINK) under
 * run_dir, before anything else runs: nfsinit brings the NIC up under the
 * kernel's name (eth0); udev in a systemd root then wants the predictable
 * name, cannot rename an interface that is up, and leaves it "renaming",
 * which networkd and NetworkManager wait on for ever. Returns 0 or -errno;
 * the caller logs. */
int linkfile_write(const struct net_lease *l, const char *run_dir);

/* True when root_dir enables systemd-networkd (a .wants symlink for
 * systemd-networkd.service): it will renew the lease itself. */
bool handover_networkd_enabled(const char *root_dir);

/* The hand-over stage of /init: the files (the /run ones under /run, which
 * moves into the new root), resolv.conf in newroot, then the lease keeper
 * unless newroot runs systemd-networkd. Failures are logged, never fatal. */
void netcfg_handover(const struct net_lease *l, const char *newroot, char *argv0);

#endif
