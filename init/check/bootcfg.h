/* The kernel command line in a boot loader's file: pure, for nfsinit-check.
 *   pxelinux: "APPEND <args>" under "LABEL <name>" (keywords in any case)
 *   iPXE:     "kernel [--opts] <image> <args>" or "imgargs <image> <args>" */
#ifndef NFSINIT_BOOTCFG_H
#define NFSINIT_BOOTCFG_H

#include <stddef.h>

#define BOOTCFG_LABEL_MAX 64

enum bootcfg_kind { BOOTCFG_PXELINUX, BOOTCFG_IPXE };

/* One line of the file. Returns 1 and copies the command line into args
 * (cap bytes) when the line carries one; 0 for any other line (a pxelinux
 * LABEL line sets label, cap BOOTCFG_LABEL_MAX, and returns 0); -E2BIG when
 * the command line or label does not fit. */
int bootcfg_line(enum bootcfg_kind kind, const char *line, char *label, char *args, size_t cap);

/* Replaces iPXE's ${...mac:hexhyp} (and ${...mac}) settings in s with the
 * sample node's MAC ("52-54-00-12-34-56" / "52:54:00:12:34:56"), in place
 * (cap bytes). Returns how many other ${...} settings are left, or -E2BIG. */
int bootcfg_ipxe_expand(char *s, size_t cap, const char *mac_hyphen, const char *mac_colon);

#endif
