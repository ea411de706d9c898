/* Everything /init takes from the kernel command line, in one struct.
 * cmdline_parse() is pure: text in, struct out, no I/O and no logging. */
#ifndef NFSINIT_CONFIG_H
#define NFSINIT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "../common/limits.h"
#include "../netcfg/ipconf.h"
#include "../netcfg/vlanbond.h"
#include "../mounts/nfsroot.h"
#include "../mounts/verity.h"
#include "../common/kcmdline.h"
#include "../identity/facts.h"
#include "../common/syslog5424.h"

enum onfail { ONFAIL_DEFAULT = 0, ONFAIL_SHELL, ONFAIL_REBOOT, ONFAIL_HALT };

/* Defaults, documented in README.md ("Kernel parameters"). */
#define CFG_DEFAULT_INIT            "/sbin/init"
#define CFG_DEFAULT_OVERLAY_SIZE    "50%"
#define CFG_DEFAULT_ROOT_TIMEOUT_S  60
#define CFG_DEFAULT_DHCP_TIMEOUT_S  60
#define CFG_DEFAULT_LINK_TIMEOUT_S  10
#define CFG_DEFAULT_REBOOT_DELAY_S  10
#define CFG_DEFAULT_TEMPLATES       "/etc/nfsinit/templates"
#define CFG_DEFAULT_PERSIST_PATHS   "/var/log"
#define CFG_DEFAULT_NET_TIMEOUT_S   180  /* the network stage's retries, all DHCP attempts together */
#define CFG_DEFAULT_HOOK_TIMEOUT_S  30
#define CFG_DEFAULT_RW_PATHS        "/etc,/var,/tmp,/root"  /* only without overlayfs/aufs */
#define CFG_BREAK_MAX               16

struct nfsinit_config {
	struct nfs_root root;          /* from root=nfs:, root=/dev/nfs + nfsroot= */
	bool root_from_dhcp;           /* no root given, or root=dhcp: use option 17 */
	char root_other[NI_PATH_MAX + 16]; /* "root=<what we cannot boot>", for the error */
	struct ipconf ip;
	bool have_bootif;
	uint8_t bootif[6];
	struct netdev_stack stack;     /* vlan=, bond= */
	char init[NI_PATH_MAX];
	char overlay_size[NI_SIZE_MAX];
	char root_ram[NI_SIZE_MAX];    /* nfsinit.root.ram: image file into RAM up to this, "" = off */
	char root_verity[VERITY_HEX_MAX]; /* nfsinit.root.verity: root hash, lower case, "" = off */
	bool root_verity_bad;          /* malformed: the root stage refuses to boot unverified */
	enum verity_oncorrupt root_verity_oncorrupt;
	unsigned root_timeout_s;
	unsigned dhcp_timeout_s;
	unsigned link_timeout_s;
	unsigned net_timeout_s;
	unsigned hook_timeout_s;
	char rw_paths[NI_PATH_MAX];    /* nfsinit.rwpaths=: writable copies when there is no overlay */
	char break_stage[CFG_BREAK_MAX]; /* nfsinit.break=/rd.break=: a hook stage name, "" = none */
	enum onfail onfail;
	int panic_s;                   /* kernel panic=: <0 reboot now, 0 never, >0 delay */
	bool panic_given;
	bool debug;
	struct syslog_target log;      /* nfsinit.log=/syslog.server=: the remote log */
	bool log_given, log_bad;       /* log_bad: malformed, so no remote log at all */
	/* Per-node identity (identity/, docs/identity.md). */
	int nclasses;                  /* nfsinit.class=a,b: template layers, in order */
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX];
	int nuservars;                 /* nfsinit.var.NAME=value */
	struct identity_var uservars[NI_MAX_USERVARS];
	char templates[NI_PATH_MAX];   /* nfsinit.templates=: tree in the shared root, "" = off */
	char persist[NI_HOST_MAX + NI_PATH_MAX]; /* nfsinit.persist=[server:]/path/{{hostname}} */
	char persist_paths[NI_PATH_MAX]; /* nfsinit.persist.paths=/var/log,... */
	int nwarnings;                 /* malformed or unknown parameters, for the log */
	char warnings[NI_MAX_WARNINGS][NI_WARN_MAX];
};

void config_defaults(struct nfsinit_config *cfg);

/* Parses the whole command line. Never fails as a whole: every bad parameter
 * is named in cfg->warnings and the default stays. */
void cmdline_parse(const char *cmdline, struct nfsinit_config *cfg);

/* Our stage name for nfsinit.break=<stage> or dracut's rd.break=<stage>
 * (dracut's names map to the nearest of ours); NULL if unknown. */
const char *config_break_stage(const char *name);

/* The identity stage's part of the command line, handed over explicitly so
 * that identity/ needs no init/ header (main.c and nfsinit-check). */
struct identity_opts;
void config_identity_opts(const struct nfsinit_config *c, struct identity_opts *o);

/* The tmpfs size= value: digits with an optional k/m/g suffix, or 1-100%. */
bool config_valid_size(const char *s);

#endif
