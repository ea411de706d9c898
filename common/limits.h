/* Named limits for the whole of /init. Fixed buffers everywhere: a value that
 * does not fit is an error reported by name, never silently truncated. */
#ifndef NFSINIT_LIMITS_H
#define NFSINIT_LIMITS_H

#define NI_CMDLINE_MAX    4096  /* kernel COMMAND_LINE_SIZE on x86 is 2048; room to spare */
#define NI_PATH_MAX       1024  /* NFS export paths, init path, mount points */
#define NI_OPTS_MAX       512   /* NFS mount option strings */
#define NI_HOST_MAX       256   /* server names / addresses as text */
#define NI_HOSTNAME_MAX   64    /* RFC 1123 label limit plus NUL */
#define NI_DOMAIN_MAX     256
#define NI_IFNAME_MAX     16    /* IFNAMSIZ */
#define NI_LINKS_MAX      64    /* Ethernet interfaces read (and asked by DHCP at once) */
#define NI_MAX_DNS        3
#define NI_MAX_NTP        3
#define NI_MAX_WARNINGS   16    /* malformed parameters remembered for the log */
#define NI_WARN_MAX       160
#define NI_SIZE_MAX       32    /* "256M", "25%" */
#define NI_MAX_VLANS      4     /* vlan= parameters set up */
#define NI_BOND_SLAVES    4     /* NICs in the one bond= */

/* Per-node identity (identity/): templates come from the admin's tree on the
 * server, so every size is bounded and an overrun skips the file, not the boot. */
#define NI_MAX_CLASSES     8     /* nfsinit.class=a,b,... */
#define NI_CLASS_MAX       32    /* one class name */
#define NI_CLASSES_TEXT_MAX 256  /* DHCP option 224: "gpu,rack3" */
#define NI_MAX_USERVARS    16    /* nfsinit.var.NAME=value */
#define NI_VARNAME_MAX     32
#define NI_VARVAL_MAX      256
#define NI_MAX_VARS        64    /* built-in variables plus the user's */
#define NI_TMPL_FILE_MAX   (256 * 1024)       /* one file in a template layer */
#define NI_TMPL_TOTAL_MAX  (16 * 1024 * 1024) /* all layers together, bytes */
#define NI_TMPL_ENTRIES_MAX 4096              /* all layers together, entries */
#define NI_TMPL_DEPTH      16    /* directory nesting in a layer */
#define NI_PERSIST_PATHS   8     /* nfsinit.persist.paths=/var/log,... */

#endif
