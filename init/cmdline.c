/* Kernel command line -> struct nfsinit_config. Our own parameters are
 * nfsinit.*; the kernel's, dracut's and pxelinux's spellings are accepted where
 * they mean the same thing. */
#include "config.h"
#include "../hooks/hooks.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../common/dashname.h"
#include "../identity/facts.h"
#include "../common/mac.h"
#include "../mounts/imageprobe.h"

void config_defaults(struct nfsinit_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->init, CFG_DEFAULT_INIT);
	strcpy(cfg->overlay_size, CFG_DEFAULT_OVERLAY_SIZE);
	cfg->root_timeout_s = CFG_DEFAULT_ROOT_TIMEOUT_S;
	cfg->dhcp_timeout_s = CFG_DEFAULT_DHCP_TIMEOUT_S;
	cfg->link_timeout_s = CFG_DEFAULT_LINK_TIMEOUT_S;
	cfg->net_timeout_s = CFG_DEFAULT_NET_TIMEOUT_S;
	cfg->hook_timeout_s = CFG_DEFAULT_HOOK_TIMEOUT_S;
	strcpy(cfg->rw_paths, CFG_DEFAULT_RW_PATHS);
	cfg->ip.method = IP_METHOD_DHCP;
	strcpy(cfg->templates, CFG_DEFAULT_TEMPLATES);
	strcpy(cfg->persist_paths, CFG_DEFAULT_PERSIST_PATHS);
}

__attribute__((format(printf, 2, 3)))
static void warn(struct nfsinit_config *cfg, const char *fmt, ...)
{
	va_list ap;
	if (cfg->nwarnings >= NI_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(cfg->warnings[cfg->nwarnings++], NI_WARN_MAX, fmt, ap);
	va_end(ap);
}

/* Parameter names compare with '-' and '_' alike, as the kernel does. */
static bool key_is(const char *key, const char *name)
{
	return dashname_eq(key, name);
}

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

bool config_valid_size(const char *s)
{
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == s || p - s > 12)
		return false;
	if (*p == '%') {
		unsigned pct;
		char num[16];
		memcpy(num, s, (size_t)(p - s));
		num[p - s] = '\0';
		return p[1] == '\0' && parse_uint(num, 100, &pct) && pct > 0;
	}
	if (*p && strchr("kKmMgG", *p))
		p++;
	return *p == '\0' && strtoull(s, NULL, 10) > 0;
}

/* BOOTIF=01-aa-bb-cc-dd-ee-ff: pxelinux/iPXE prefix the ARP type (01). */
static bool parse_bootif(const char *v, uint8_t mac[6])
{
	if (strncmp(v, "01-", 3) == 0)
		return mac_parse(v + 3, '-', mac) == 0;
	return mac_parse(v, ':', mac) == 0;
}

static bool parse_onfail(const char *v, enum onfail *out)
{
	if (!strcmp(v, "shell"))
		*out = ONFAIL_SHELL;
	else if (!strcmp(v, "reboot"))
		*out = ONFAIL_REBOOT;
	else if (!strcmp(v, "halt") || !strcmp(v, "poweroff"))
		*out = ONFAIL_HALT;
	else
		return false;
	return true;
}

const char *config_break_stage(const char *name)
{
	static const char *const map[][2] = {
		{ HOOKS_EARLY, HOOKS_EARLY },         { HOOKS_PRE_NET, HOOKS_PRE_NET },
		{ HOOKS_PRE_MOUNT, HOOKS_PRE_MOUNT }, { HOOKS_PRE_SWITCH, HOOKS_PRE_SWITCH },
		/* dracut: cmdline and udev come before our network stage; its
		 * initqueue is where the network comes up; mount and pre-pivot are
		 * after the root is mounted, as our pre-switch is. */
		{ "cmdline", HOOKS_EARLY },         { "pre-udev", HOOKS_PRE_NET },
		{ "pre-trigger", HOOKS_PRE_NET },   { "initqueue", HOOKS_PRE_MOUNT },
		{ "mount", HOOKS_PRE_SWITCH },      { "pre-pivot", HOOKS_PRE_SWITCH },
		{ "cleanup", HOOKS_PRE_SWITCH },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i][0]))
			return map[i][1];
	return NULL;
}

/* One parameter as the table's setters see it; off is the entry's field. */
struct arg {
	const char *name;      /* the table's spelling, for messages */
	const char *key, *val; /* as given */
	bool has_val;
	size_t off;
};

#define FIELD(cfg, a, type) ((type *)(void *)((char *)(cfg) + (a)->off))

static void set_break(struct nfsinit_config *cfg, const struct arg *a)
{
	/* dracut: a bare rd.break stops just before switching root. */
	const char *stage = a->has_val && a->val[0] ? config_break_stage(a->val) : HOOKS_PRE_SWITCH;
	if (!stage)
		warn(cfg, "%s=%s: expected one of " HOOKS_STAGE_LIST, a->key, a->val);
	else
		strcpy(cfg->break_stage, stage);
}

static bool is_true(const char *v, bool has_val)
{
	return !has_val || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on");
}

static void set_seconds(struct nfsinit_config *cfg, const struct arg *a)
{
	unsigned *dst = FIELD(cfg, a, unsigned);
	if (!parse_uint(a->val, 86400, dst))
		warn(cfg, "%s=%s: expected seconds (0-86400); keeping %u", a->key, a->val, *dst);
}

static void set_hook_timeout(struct nfsinit_config *cfg, const struct arg *a)
{
	set_seconds(cfg, a);
	if (cfg->hook_timeout_s == 0 || cfg->hook_timeout_s > 3600) {
		warn(cfg, "%s=%s: expected 1-3600 s; keeping %u", a->key, a->val, CFG_DEFAULT_HOOK_TIMEOUT_S);
		cfg->hook_timeout_s = CFG_DEFAULT_HOOK_TIMEOUT_S;
	}
}

static void set_flag(struct nfsinit_config *cfg, const struct arg *a)
{
	*FIELD(cfg, a, bool) = is_true(a->val, a->has_val);
}

static void set_root(struct nfsinit_config *cfg, const struct arg *a)
{
	const char *val = a->val;
	struct err_reason err;
	if (!strcmp(val, "/dev/nfs") || !strcmp(val, "nfs")) {
		return; /* the root comes from nfsroot= or DHCP */
	}
	if (!strcmp(val, "dhcp")) {
		cfg->root_from_dhcp = true;
		return;
	}
	if (!strncmp(val, "nfs:", 4) || !strncmp(val, "nfs4:", 5)) {
		if (nfsroot_parse_dracut(val, &cfg->root, &err)) {
			warn(cfg, "%s=%s: %s", a->name, val, err.msg);
			snprintf(cfg->root_other, sizeof(cfg->root_other), "%s=%s", a->name, val);
		}
		return;
	}
	snprintf(cfg->root_other, sizeof(cfg->root_other), "%s=%s", a->name, val);
}

static void set_nfsroot(struct nfsinit_config *cfg, const struct arg *a)
{
	struct nfs_root r;
	struct err_reason err;
	/* initramfs-tools: the root path comes from DHCP (option 17). */
	if (!strcmp(a->val, "auto")) {
		if (!cfg->root.given)
			cfg->root_from_dhcp = true;
		return;
	}
	if (nfsroot_parse_kernel(a->val, &r, &err)) {
		warn(cfg, "%s=%s: %s", a->name, a->val, err.msg);
		snprintf(cfg->root_other, sizeof(cfg->root_other), "%s=%s", a->name, a->val);
	} else if (!cfg->root.given)
		cfg->root = r;
}

static void set_ip(struct nfsinit_config *cfg, const struct arg *a)
{
	struct ipconf ip;
	struct err_reason err;
	if (ipconf_parse(a->val, &ip, &err))
		warn(cfg, "%s=%s: %s", a->name, a->val, err.msg);
	else
		cfg->ip = ip;
}

/* dracut's vlan=<name>:<parent>. A bad one is left out and the network
 * comes up without it (the console line says so). */
static void set_vlan(struct nfsinit_config *cfg, const struct arg *a)
{
	struct net_vlan v;
	struct err_reason err;
	if (vlan_parse(a->has_val ? a->val : NULL, &v, &err))
		warn(cfg, "%s=%s: %s; ignored, no VLAN made for it", a->name, a->val, err.msg);
	else if (netdev_add_vlan(&cfg->stack, &v))
		warn(cfg, "%s=%s: more than %d VLANs; ignored", a->name, a->val, NI_MAX_VLANS);
}

/* dracut's bond=<name>[:<slaves>[:<options>[:<mtu>]]], one bond. */
static void set_bond(struct nfsinit_config *cfg, const struct arg *a)
{
	struct net_bond b;
	struct err_reason err;
	if (bond_parse(a->has_val && a->val[0] ? a->val : NULL, &b, &err))
		warn(cfg, "%s=%s: %s; ignored, no bond made for it", a->name, a->val, err.msg);
	else if (cfg->stack.have_bond && strcmp(cfg->stack.bond.name, b.name))
		warn(cfg, "%s=%s: one bond only; ignored, %s stays", a->name, a->val, cfg->stack.bond.name);
	else {
		cfg->stack.bond = b;
		cfg->stack.have_bond = true;
	}
}

static void set_bootif(struct nfsinit_config *cfg, const struct arg *a)
{
	if (parse_bootif(a->val, cfg->bootif))
		cfg->have_bootif = true;
	else
		warn(cfg, "%s=%s: expected 01-aa-bb-cc-dd-ee-ff", a->name, a->val);
}

static void set_init(struct nfsinit_config *cfg, const struct arg *a)
{
	if (a->val[0] != '/' || strlen(a->val) >= sizeof(cfg->init))
		warn(cfg, "%s=%s: expected an absolute path; keeping %s", a->name, a->val, cfg->init);
	else
		strcpy(cfg->init, a->val);
}

/* nfsinit.root.ram[=1|<n>[k|M|G]|<p>%|0|off]: bare or 1 is half of RAM. */
static void set_root_ram(struct nfsinit_config *cfg, const struct arg *a)
{
	const char *val = a->has_val && a->val[0] ? a->val : "1";
	uint64_t limit;
	if (!strcmp(val, "0") || !strcmp(val, "off"))
		cfg->root_ram[0] = '\0';
	else if (image_ram_limit(val, 1ULL << 30, &limit) || strlen(val) >= sizeof(cfg->root_ram))
		warn(cfg, "%s=%s: expected 1 (half of RAM), e.g. 2G, 512M or 25%%, or off", a->name, val);
	else
		strcpy(cfg->root_ram, val);
}

/* A malformed root hash is remembered, not dropped: the root stage must
 * not boot an image the admin wanted checked without checking it. */
static void set_root_verity(struct nfsinit_config *cfg, const struct arg *a)
{
	struct err_reason err;
	if (verity_root_hash_check(a->val, &err) < 0) {
		warn(cfg, "%s=%.40s: %s", a->name, a->val, err.msg);
		cfg->root_verity[0] = '\0';
		cfg->root_verity_bad = true;
		return;
	}
	for (size_t i = 0; a->val[i]; i++)
		cfg->root_verity[i] = (char)tolower((unsigned char)a->val[i]);
	cfg->root_verity[strlen(a->val)] = '\0';
	cfg->root_verity_bad = false;
}

static void set_verity_oncorrupt(struct nfsinit_config *cfg, const struct arg *a)
{
	if (verity_oncorrupt_parse(a->val, &cfg->root_verity_oncorrupt))
		warn(cfg, "%s=%s: expected eio, restart or panic; keeping %s", a->name, a->val,
		     verity_oncorrupt_name(cfg->root_verity_oncorrupt));
}

static void set_overlay_size(struct nfsinit_config *cfg, const struct arg *a)
{
	if (!config_valid_size(a->val) || strlen(a->val) >= sizeof(cfg->overlay_size))
		warn(cfg, "%s=%s: expected e.g. 512M, 2G or 25%%; keeping %s", a->name, a->val,
		     cfg->overlay_size);
	else
		strcpy(cfg->overlay_size, a->val);
}

static void set_rwpaths(struct nfsinit_config *cfg, const struct arg *a)
{
	const char *val = a->val;
	if (val[0] != '/' || strstr(val, "..") || strstr(val, ",,"))
		warn(cfg, "%s=%s: expected absolute paths separated by commas; keeping %s", a->name, val,
		     cfg->rw_paths);
	else
		strcpy(cfg->rw_paths, val);
}

/* A malformed target turns the remote log off (DHCP option 7 included):
 * sending somewhere the admin did not mean would be worse. */
static void set_log(struct nfsinit_config *cfg, const struct arg *a)
{
	struct err_reason err;
	if (syslog_parse_target(a->val, &cfg->log, &err)) {
		warn(cfg, "%s=%s: %s; expected <IPv4 address>[:<port>] (no remote log)", a->name, a->val, err.msg);
		cfg->log_bad = true;
	} else
		cfg->log_given = true;
}

static void set_onfail(struct nfsinit_config *cfg, const struct arg *a)
{
	if (!parse_onfail(a->val, &cfg->onfail))
		warn(cfg, "%s=%s: expected shell, reboot or halt", a->name, a->val);
}

/* dracut: rd.shell (=1) drops to a shell on failure; rd.shell=0 never
 * gives one, even on a console where the default would: reboot instead. An
 * explicit halt (nfsinit.onfail=halt) is kept, it is no shell either. */
static void set_rd_shell(struct nfsinit_config *cfg, const struct arg *a)
{
	if (is_true(a->val, a->has_val))
		cfg->onfail = ONFAIL_SHELL;
	else if (!strcmp(a->val, "0") || !strcmp(a->val, "no") || !strcmp(a->val, "false") ||
		 !strcmp(a->val, "off")) {
		if (cfg->onfail != ONFAIL_HALT)
			cfg->onfail = ONFAIL_REBOOT;
	} else
		warn(cfg, "%s=%s: expected 0 or 1", a->name, a->val);
}

/* dracut's rd.timeout: how long to wait for the root; its 0 means for ever,
 * which PID 1 never does. */
static void set_rd_timeout(struct nfsinit_config *cfg, const struct arg *a)
{
	unsigned v;
	if (!parse_uint(a->val, 86400, &v))
		warn(cfg, "%s=%s: expected seconds (1-86400); keeping %u", a->name, a->val, cfg->root_timeout_s);
	else if (v == 0)
		warn(cfg, "%s=0: waiting for ever is not supported; keeping nfsinit.root.timeout=%u",
		     a->name, cfg->root_timeout_s);
	else
		cfg->root_timeout_s = v;
}

/* The kernel's rootdelay=N pauses N s before mounting a slow disk. An NFS
 * root is retried instead: the retries go on for at least N s. */
static void set_rootdelay(struct nfsinit_config *cfg, const struct arg *a)
{
	unsigned v;
	if (!parse_uint(a->val, 86400, &v))
		warn(cfg, "%s=%s: expected seconds; ignored", a->name, a->val);
	else if (v > cfg->root_timeout_s)
		cfg->root_timeout_s = v;
}

static void set_panic(struct nfsinit_config *cfg, const struct arg *a)
{
	char *end;
	long v = strtol(a->val, &end, 10);
	if (!a->has_val || *end || end == a->val)
		warn(cfg, "%s=%s: expected seconds", a->name, a->val);
	else {
		cfg->panic_s = (int)v;
		cfg->panic_given = true;
	}
}

/* Names used as template layer directories and variable names: a word, so
 * that "nfsinit.class=../../etc" can never name a path. */
static bool is_word(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n >= max || s[0] == '.' || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static void set_classes(struct nfsinit_config *cfg, const struct arg *a)
{
	char buf[NI_PATH_MAX], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", a->val);
	cfg->nclasses = 0;
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		if (!is_word(c, NI_CLASS_MAX))
			warn(cfg, "%s: '%.40s' is not a class name (letters, digits, _ . -)", a->name, c);
		else if (cfg->nclasses >= NI_MAX_CLASSES)
			warn(cfg, "%s: more than %d classes; '%.40s' ignored", a->name, NI_MAX_CLASSES, c);
		else
			strcpy(cfg->classes[cfg->nclasses++], c);
	}
}

/* nfsinit.var.NAME=value: the prefix entry, so NAME follows the prefix. */
static void set_uservar(struct nfsinit_config *cfg, const struct arg *a)
{
	const char *name = a->key + strlen(a->name), *val = a->val;
	int i;
	if (!is_word(name, NI_VARNAME_MAX)) {
		warn(cfg, "%s%.40s: not a variable name (letters, digits, _ . -)", a->name, name);
		return;
	}
	if (strlen(val) >= NI_VARVAL_MAX) {
		warn(cfg, "%s%s: value longer than %d bytes (ignored)", a->name, name, NI_VARVAL_MAX - 1);
		return;
	}
	for (i = 0; i < cfg->nuservars && strcmp(cfg->uservars[i].name, name); i++)
		;
	if (i == NI_MAX_USERVARS) {
		warn(cfg, "%s%s: more than %d variables (ignored)", a->name, name, NI_MAX_USERVARS);
		return;
	}
	if (i == cfg->nuservars)
		cfg->nuservars++;
	strcpy(cfg->uservars[i].name, name);
	strcpy(cfg->uservars[i].value, val);
}

static void set_templates(struct nfsinit_config *cfg, const struct arg *a)
{
	const char *val = a->val;
	if (!strcmp(val, "off") || !strcmp(val, "none"))
		cfg->templates[0] = '\0';
	else if (val[0] != '/' || strstr(val, "/..") || strlen(val) >= sizeof(cfg->templates))
		warn(cfg, "%s=%s: expected an absolute path or off; keeping %s", a->name, val,
		     cfg->templates);
	else
		strcpy(cfg->templates, val);
}

static void set_persist(struct nfsinit_config *cfg, const struct arg *a)
{
	if (!strchr(a->val, '/') || strlen(a->val) >= sizeof(cfg->persist))
		warn(cfg, "%s=%s: expected [server:]/export/path", a->name, a->val);
	else
		strcpy(cfg->persist, a->val);
}

static void set_persist_paths(struct nfsinit_config *cfg, const struct arg *a)
{
	if (a->val[0] != '/' || strlen(a->val) >= sizeof(cfg->persist_paths))
		warn(cfg, "%s=%s: expected /dir[,/dir...]; keeping %s", a->name, a->val,
		     cfg->persist_paths);
	else
		strcpy(cfg->persist_paths, a->val);
}

/* What a parameter sets; the table below names one for each spelling. */
enum setter {
	SET_ROOT, SET_NFSROOT, SET_IP, SET_BOOTIF, SET_INIT, SET_OVERLAY_SIZE, SET_ROOT_RAM, SET_SECONDS,
	SET_HOOK_TIMEOUT, SET_RWPATHS, SET_BREAK, SET_ONFAIL, SET_RD_SHELL, SET_PANIC, SET_FLAG,
	SET_CLASSES, SET_TEMPLATES, SET_PERSIST, SET_PERSIST_PATHS, SET_USERVAR, SET_RD_TIMEOUT,
	SET_ROOTDELAY, SET_LOG, SET_ROOT_VERITY, SET_VERITY_ONCORRUPT, SET_VLAN, SET_BOND, PASS_OVER,
};

/* The parameters: name, setter, the field SET_SECONDS / SET_FLAG write.
 * Exact names first: "nfsinit.hook.timeout" is ours, the rest of
 * "nfsinit.hook." belongs to the hooks. A name ending in '.' is a prefix,
 * compared exactly. dracut's and pxelinux's spellings share our setter. */
#define AT(field) offsetof(struct nfsinit_config, field)
#define PARAMS(X) \
	X("root",                   SET_ROOT,          0) \
	X("nfsroot",                SET_NFSROOT,       0) \
	X("ip",                     SET_IP,            0) \
	X("BOOTIF",                 SET_BOOTIF,        0) \
	X("vlan",                   SET_VLAN,          0) \
	X("bond",                   SET_BOND,          0) \
	X("init",                   SET_INIT,          0) \
	X("nfsinit.overlay.size",   SET_OVERLAY_SIZE,  0) \
	X("nfsinit.root.ram",       SET_ROOT_RAM,      0) \
	X("nfsinit.root.verity",    SET_ROOT_VERITY,   0) \
	X("nfsinit.root.verity.oncorrupt", SET_VERITY_ONCORRUPT, 0) \
	X("nfsinit.root.timeout",   SET_SECONDS,       AT(root_timeout_s)) \
	X("nfsinit.dhcp.timeout",   SET_SECONDS,       AT(dhcp_timeout_s)) \
	X("rd.net.timeout.dhcp",    SET_SECONDS,       AT(dhcp_timeout_s)) \
	X("nfsinit.link.timeout",   SET_SECONDS,       AT(link_timeout_s)) \
	X("rd.net.timeout.carrier", SET_SECONDS,       AT(link_timeout_s)) \
	X("nfsinit.net.timeout",    SET_SECONDS,       AT(net_timeout_s)) \
	X("rd.retry",               SET_SECONDS,       AT(net_timeout_s)) \
	X("rd.timeout",             SET_RD_TIMEOUT,    0) \
	X("rootdelay",              SET_ROOTDELAY,     0) \
	X("nfsinit.hook.timeout",   SET_HOOK_TIMEOUT,  AT(hook_timeout_s)) \
	X("nfsinit.rwpaths",        SET_RWPATHS,       0) \
	X("nfsinit.break",          SET_BREAK,         0) \
	X("rd.break",               SET_BREAK,         0) \
	X("nfsinit.onfail",         SET_ONFAIL,        0) \
	X("rd.shell",               SET_RD_SHELL,      0) \
	X("panic",                  SET_PANIC,         0) \
	X("nfsinit.debug",          SET_FLAG,          AT(debug)) \
	X("rd.debug",               SET_FLAG,          AT(debug)) \
	X("nfsinit.class",          SET_CLASSES,       0) \
	X("nfsinit.templates",      SET_TEMPLATES,     0) \
	X("nfsinit.persist",        SET_PERSIST,       0) \
	X("nfsinit.persist.paths",  SET_PERSIST_PATHS, 0) \
	X("nfsinit.log",            SET_LOG,           0) \
	X("syslog.server",          SET_LOG,           0) \
	X("nfsinit.hook.",          PASS_OVER,         0) \
	X("nfsinit.var.",           SET_USERVAR,       0)

/* The names as one string ("root\0nfsroot\0..."), the rest as a table in the
 * same order: no pointers, so both stay small read-only data in /init. */
#define NAME(name, set, off) name "\0"
#define SPEC(name, set, off) { set, off },
static const char param_names[] = PARAMS(NAME);
static const struct { uint8_t set; uint16_t off; } params[] = { PARAMS(SPEC) };

/* The entry for key and its name, or -1. */
static int find_param(const char *key, const char **name)
{
	*name = param_names;
	for (int i = 0; i < (int)(sizeof(params) / sizeof(params[0])); i++, *name += strlen(*name) + 1) {
		size_t n = strlen(*name);
		if ((*name)[n - 1] == '.' ? !strncmp(key, *name, n) : key_is(key, *name))
			return i;
	}
	return -1;
}

static void apply(struct nfsinit_config *cfg, enum setter set, const struct arg *a)
{
	switch (set) {
	case SET_ROOT:          set_root(cfg, a); break;
	case SET_NFSROOT:       set_nfsroot(cfg, a); break;
	case SET_IP:            set_ip(cfg, a); break;
	case SET_BOOTIF:        set_bootif(cfg, a); break;
	case SET_INIT:          set_init(cfg, a); break;
	case SET_OVERLAY_SIZE:  set_overlay_size(cfg, a); break;
	case SET_ROOT_RAM:      set_root_ram(cfg, a); break;
	case SET_SECONDS:       set_seconds(cfg, a); break;
	case SET_HOOK_TIMEOUT:  set_hook_timeout(cfg, a); break;
	case SET_RWPATHS:       set_rwpaths(cfg, a); break;
	case SET_BREAK:         set_break(cfg, a); break;
	case SET_ONFAIL:        set_onfail(cfg, a); break;
	case SET_RD_SHELL:      set_rd_shell(cfg, a); break;
	case SET_PANIC:         set_panic(cfg, a); break;
	case SET_FLAG:          set_flag(cfg, a); break;
	case SET_CLASSES:       set_classes(cfg, a); break;
	case SET_TEMPLATES:     set_templates(cfg, a); break;
	case SET_PERSIST:       set_persist(cfg, a); break;
	case SET_PERSIST_PATHS: set_persist_paths(cfg, a); break;
	case SET_USERVAR:       set_uservar(cfg, a); break;
	case SET_RD_TIMEOUT:    set_rd_timeout(cfg, a); break;
	case SET_ROOTDELAY:     set_rootdelay(cfg, a); break;
	case SET_LOG:           set_log(cfg, a); break;
	case SET_ROOT_VERITY:   set_root_verity(cfg, a); break;
	case SET_VERITY_ONCORRUPT: set_verity_oncorrupt(cfg, a); break;
	case SET_VLAN:          set_vlan(cfg, a); break;
	case SET_BOND:          set_bond(cfg, a); break;
	case PASS_OVER:         break; /* the hooks' own: they read /proc/cmdline */
	}
}

/* One parameter; keys that are neither ours nor known spellings are the
 * kernel's or the real init's business and are passed over. */
static void parse_param(struct nfsinit_config *cfg, const char *key, const char *val, bool has_val)
{
	const char *name;
	int i = find_param(key, &name);
	if (i >= 0) {
		struct arg a = { name, key, val, has_val, params[i].off };
		apply(cfg, (enum setter)params[i].set, &a);
	} else if (!strncmp(key, "nfsinit.", 8)) {
		warn(cfg, "unknown parameter %s (ignored)", key);
	}
}

void cmdline_parse(const char *cmdline, struct nfsinit_config *cfg)
{
	char key[128], val[NI_PATH_MAX];
	bool has_val, truncated;
	const char *p = cmdline;
	struct err_reason err;

	while (cmdline_next(&p, key, sizeof(key), val, sizeof(val), &has_val, &truncated)) {
		if (truncated) {
			warn(cfg, "parameter %.64s: value too long (ignored)", key);
			continue;
		}
		parse_param(cfg, key, val, has_val);
	}
	if (!cfg->root.given && !cfg->root_other[0])
		cfg->root_from_dhcp = true;
	if (netdev_check(&cfg->stack, &err)) {
		warn(cfg, "%s; no VLAN or bond is made", err.msg);
		memset(&cfg->stack, 0, sizeof(cfg->stack));
	}
}

void config_identity_opts(const struct nfsinit_config *c, struct identity_opts *o)
{
	*o = (struct identity_opts){ c->nclasses, c->classes, c->nuservars, c->uservars,
				     c->templates, c->persist, c->persist_paths };
}
