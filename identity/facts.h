/* The node's identity as facts and template variables, worked out from the
 * lease, the command line and the root; pure (the caller does uname). */
#ifndef NFSINIT_IDENT_FACTS_H
#define NFSINIT_IDENT_FACTS_H

#include <stdbool.h>
#include <stdint.h>
#include "tmpl.h"
#include "../common/limits.h"
#include "../netcfg/netcfg.h"

/* One nfsinit.var.NAME=value. */
struct identity_var {
	char name[NI_VARNAME_MAX];
	char value[NI_VARVAL_MAX];
};

/* What the identity stage takes from the command line: init/main.c points
 * these at its parsed config, so identity/ never reads init/'s struct. */
struct identity_opts {
	int nclasses;                         /* nfsinit.class=a,b: template layers, in order */
	const char (*classes)[NI_CLASS_MAX];
	int nuservars;                        /* nfsinit.var.NAME=value */
	const struct identity_var *uservars;
	const char *templates;                /* nfsinit.templates=: tree in the shared root, "" = off */
	const char *persist;                  /* nfsinit.persist=[server:]/path/{{hostname}}, "" = off */
	const char *persist_paths;            /* nfsinit.persist.paths=/var/log,... */
};

struct ident_input {
	const struct identity_opts *opts; /* NULL: no classes or variables given */
	const struct net_lease *lease;   /* NULL: network left alone (ip=off) */
	const char *nfs_server;
	const char *root_path;
	const char *kernel;              /* uname -r */
};

struct ident {
	char hostname[NI_HOSTNAME_MAX];
	char domain[NI_DOMAIN_MAX];
	char fqdn[NI_HOSTNAME_MAX + NI_DOMAIN_MAX];
	bool hostname_derived;           /* from the MAC, no name was given */
	bool have_mac;
	uint8_t mac[6];
	char mac_dir[18];                /* "52-54-00-00-00-11" */
	char machine_id[33];             /* "" without a MAC */
	uint32_t hostid;                 /* 0 without a MAC */
	char ip[16];                     /* "" without a lease */
	long node;                       /* -1 when unknown */
	int nclasses;                    /* DHCP option 224's, then nfsinit.class's */
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX];
	struct tmpl_vars vars;
};

/* Fills id. Returns 0; user variables that clash with a built-in or do not
 * fit are named in warn[] (*nwarn of them, at most maxwarn). */
int ident_build(const struct ident_input *in, struct ident *id, char warn[][NI_WARN_MAX], int maxwarn,
		int *nwarn);

#endif
