/* Keeps the root NIC's name in the booted system. nfsinit brings the NIC up
 * under the kernel's name (eth0); udev in a systemd root then wants the
 * predictable name (ens2, enp0s3), cannot rename an interface that is up,
 * and leaves it marked as "renaming", which systemd-networkd and
 * NetworkManager wait on forever. A .link file in /run/systemd/network/
 * that names the NIC as it already is stops the rename. */
#ifndef NFSINIT_LINKFILE_H
#define NFSINIT_LINKFILE_H

#include <stddef.h>
#include "netcfg.h"

/* Path under the run directory: "systemd/network/10-nfsinit-<if>.link". */
int linkfile_path(const char *ifname, char *buf, size_t cap);

/* Pure: the .link text for the lease's interface. Returns its length,
 * -ENOBUFS when cap is too small, -EINVAL for an empty interface name. */
int linkfile_render(const struct net_lease *l, char *buf, size_t cap);

/* Writes it below run_dir (normally /run, which moves into the new root).
 * Returns 0 or -errno; the caller logs. */
int linkfile_write(const struct net_lease *l, const char *run_dir);

#endif
