/* The NFSv4 client owner string. The kernel builds it from the node name and
 * an optional "uniquifier" (Documentation/filesystems/nfs/client-identifier.rst).
 * In an initramfs every node has the same node name, so without a uniquifier
 * all nodes present one identity to the server: each node's EXCHANGE_ID then
 * ends the other nodes' leases, and they spend their time re-establishing
 * sessions and reclaiming opens instead of booting. The root NIC's MAC is
 * unique per node and the same across reboots, as RFC 8881 wants. */
#ifndef NFSINIT_CLIENTID_H
#define NFSINIT_CLIENTID_H

#include <stddef.h>
#include <stdint.h>

#define CLIENTID_PARAM "/sys/module/nfs/parameters/nfs4_unique_id"

/* Pure: "nfsinit-aa:bb:cc:dd:ee:ff". Returns its length or -ENOBUFS. */
int clientid_format(const uint8_t mac[6], char *buf, size_t cap);

/* Writes id to param (normally CLIENTID_PARAM; the nfs module must be
 * loaded). Returns 0 or -errno. */
int clientid_set(const char *param, const char *id);

#endif
