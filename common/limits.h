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
#define NI_MAX_DNS        3
#define NI_MAX_NTP        3
#define NI_MAX_WARNINGS   16    /* malformed parameters remembered for the log */
#define NI_WARN_MAX       160
#define NI_SIZE_MAX       32    /* "256M", "25%" */

#endif
