/* Kernel command line -> struct nfsinit_config. Our own parameters are
 * nfsinit.*; the kernel's, dracut's and pxelinux's spellings are accepted where
 * they mean the same thing. */
#include "config.h"
#include "../hooks/hooks.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	for (; *key && *name; key++, name++) {
		char a = *key == '-' ? '_' : *key, b = *name == '-' ? '_' : *name;
		if (a != b)
			return false;
	}
	return *key == *name;
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
	unsigned b[7];
	char tail;
	if (sscanf(v, "%2x-%2x-%2x-%2x-%2x-%2x-%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &tail) == 7) {
		if (b[0] != 1)
			return false;
		for (int i = 0; i < 6; i++)
			mac[i] = (uint8_t)b[i + 1];
		return true;
	}
	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) == 6) {
		for (int i = 0; i < 6; i++)
			mac[i] = (uint8_t)b[i];
		return true;
	}
	return false;
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

static void parse_break(struct nfsinit_config *cfg, const char *key, const char *val, bool has_val)
{
	/* dracut: a bare rd.break stops just before switching root. */
	const char *stage = has_val && val[0] ? config_break_stage(val) : HOOKS_PRE_SWITCH;
	if (!stage)
		warn(cfg, "%s=%s: expected one of " HOOKS_STAGE_LIST, key, val);
	else
		strcpy(cfg->break_stage, stage);
}

static bool is_true(const char *v, bool has_val)
{
	return !has_val || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on");
}

static void set_timeout(struct nfsinit_config *cfg, const char *key, const char *val, unsigned *dst)
{
	if (!parse_uint(val, 86400, dst))
		warn(cfg, "%s=%s: expected seconds (0-86400); keeping %u", key, val, *dst);
}

static void parse_root(struct nfsinit_config *cfg, const char *val)
{
	char err[NI_WARN_MAX - 32];
	if (!strcmp(val, "/dev/nfs") || !strcmp(val, "nfs")) {
		return; /* the root comes from nfsroot= or DHCP */
	}
	if (!strcmp(val, "dhcp")) {
		cfg->root_from_dhcp = true;
		return;
	}
	if (!strncmp(val, "nfs:", 4) || !strncmp(val, "nfs4:", 5)) {
		if (nfsroot_parse_dracut(val, &cfg->root, err, sizeof(err))) {
			warn(cfg, "root=%s: %s", val, err);
			snprintf(cfg->root_other, sizeof(cfg->root_other), "root=%s", val);
		}
		return;
	}
	snprintf(cfg->root_other, sizeof(cfg->root_other), "root=%s", val);
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

static void parse_classes(struct nfsinit_config *cfg, const char *val)
{
	char buf[NI_PATH_MAX], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", val);
	cfg->nclasses = 0;
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		if (!is_word(c, NI_CLASS_MAX))
			warn(cfg, "nfsinit.class: '%.40s' is not a class name (letters, digits, _ . -)", c);
		else if (cfg->nclasses >= NI_MAX_CLASSES)
			warn(cfg, "nfsinit.class: more than %d classes; '%.40s' ignored", NI_MAX_CLASSES, c);
		else
			strcpy(cfg->classes[cfg->nclasses++], c);
	}
}

static void set_uservar(struct nfsinit_config *cfg, const char *name, const char *val)
{
	int i;
	if (!is_word(name, NI_VARNAME_MAX)) {
		warn(cfg, "nfsinit.var.%.40s: not a variable name (letters, digits, _ . -)", name);
		return;
	}
	if (strlen(val) >= NI_VARVAL_MAX) {
		warn(cfg, "nfsinit.var.%s: value longer than %d bytes (ignored)", name, NI_VARVAL_MAX - 1);
		return;
	}
	for (i = 0; i < cfg->nuservars && strcmp(cfg->uservars[i].name, name); i++)
		;
	if (i == NI_MAX_USERVARS) {
		warn(cfg, "nfsinit.var.%s: more than %d variables (ignored)", name, NI_MAX_USERVARS);
		return;
	}
	if (i == cfg->nuservars)
		cfg->nuservars++;
	strcpy(cfg->uservars[i].name, name);
	strcpy(cfg->uservars[i].value, val);
}

/* The identity stage's parameters; false when key is none of them. */
static bool identity_param(struct nfsinit_config *cfg, const char *key, const char *val)
{
	if (key_is(key, "nfsinit.class")) {
		parse_classes(cfg, val);
	} else if (!strncmp(key, "nfsinit.var.", 12)) {
		set_uservar(cfg, key + 12, val);
	} else if (key_is(key, "nfsinit.templates")) {
		if (!strcmp(val, "off") || !strcmp(val, "none"))
			cfg->templates[0] = '\0';
		else if (val[0] != '/' || strstr(val, "/..") || strlen(val) >= sizeof(cfg->templates))
			warn(cfg, "nfsinit.templates=%s: expected an absolute path or off; keeping %s", val,
			     cfg->templates);
		else
			strcpy(cfg->templates, val);
	} else if (key_is(key, "nfsinit.persist")) {
		if (!strchr(val, '/') || strlen(val) >= sizeof(cfg->persist))
			warn(cfg, "nfsinit.persist=%s: expected [server:]/export/path", val);
		else
			strcpy(cfg->persist, val);
	} else if (key_is(key, "nfsinit.persist.paths")) {
		if (val[0] != '/' || strlen(val) >= sizeof(cfg->persist_paths))
			warn(cfg, "nfsinit.persist.paths=%s: expected /dir[,/dir...]; keeping %s", val,
			     cfg->persist_paths);
		else
			strcpy(cfg->persist_paths, val);
	} else {
		return false;
	}
	return true;
}

/* One parameter; keys that are neither ours nor known spellings are the
 * kernel's or the real init's business and are passed over. */
static void parse_param(struct nfsinit_config *cfg, const char *key, const char *val, bool has_val)
{
	char err[NI_WARN_MAX - 32];

	if (key_is(key, "root")) {
		parse_root(cfg, val);
	} else if (key_is(key, "nfsroot")) {
		struct nfs_root r;
		if (nfsroot_parse_kernel(val, &r, err, sizeof(err))) {
			warn(cfg, "nfsroot=%s: %s", val, err);
			snprintf(cfg->root_other, sizeof(cfg->root_other), "nfsroot=%s", val);
		} else if (!cfg->root.given)
			cfg->root = r;
	} else if (key_is(key, "ip")) {
		struct ipconf ip;
		if (ipconf_parse(val, &ip, err, sizeof(err)))
			warn(cfg, "ip=%s: %s", val, err);
		else
			cfg->ip = ip;
	} else if (key_is(key, "BOOTIF")) {
		if (parse_bootif(val, cfg->bootif))
			cfg->have_bootif = true;
		else
			warn(cfg, "BOOTIF=%s: expected 01-aa-bb-cc-dd-ee-ff", val);
	} else if (key_is(key, "init")) {
		if (val[0] != '/' || strlen(val) >= sizeof(cfg->init))
			warn(cfg, "init=%s: expected an absolute path; keeping %s", val, cfg->init);
		else
			strcpy(cfg->init, val);
	} else if (key_is(key, "nfsinit.overlay.size")) {
		if (!config_valid_size(val) || strlen(val) >= sizeof(cfg->overlay_size))
			warn(cfg, "nfsinit.overlay.size=%s: expected e.g. 512M, 2G or 25%%; keeping %s", val,
			     cfg->overlay_size);
		else
			strcpy(cfg->overlay_size, val);
	} else if (key_is(key, "nfsinit.root.timeout")) {
		set_timeout(cfg, key, val, &cfg->root_timeout_s);
	} else if (key_is(key, "nfsinit.dhcp.timeout") || key_is(key, "rd.net.timeout.dhcp")) {
		set_timeout(cfg, key, val, &cfg->dhcp_timeout_s);
	} else if (key_is(key, "nfsinit.link.timeout") || key_is(key, "rd.net.timeout.carrier")) {
		set_timeout(cfg, key, val, &cfg->link_timeout_s);
	} else if (key_is(key, "nfsinit.net.timeout")) {
		set_timeout(cfg, key, val, &cfg->net_timeout_s);
	} else if (key_is(key, "nfsinit.hook.timeout")) {
		set_timeout(cfg, key, val, &cfg->hook_timeout_s);
		if (cfg->hook_timeout_s == 0 || cfg->hook_timeout_s > 3600) {
			warn(cfg, "%s=%s: expected 1-3600 s; keeping %u", key, val, CFG_DEFAULT_HOOK_TIMEOUT_S);
			cfg->hook_timeout_s = CFG_DEFAULT_HOOK_TIMEOUT_S;
		}
	} else if (key_is(key, "nfsinit.rwpaths")) {
		if (val[0] != '/' || strstr(val, "..") || strstr(val, ",,"))
			warn(cfg, "nfsinit.rwpaths=%s: expected absolute paths separated by commas; keeping %s", val,
			     cfg->rw_paths);
		else
			strcpy(cfg->rw_paths, val);
	} else if (key_is(key, "nfsinit.break") || key_is(key, "rd.break")) {
		parse_break(cfg, key, val, has_val);
	} else if (key_is(key, "nfsinit.onfail")) {
		if (!parse_onfail(val, &cfg->onfail))
			warn(cfg, "nfsinit.onfail=%s: expected shell, reboot or halt", val);
	} else if (key_is(key, "rd.shell")) {
		if (is_true(val, has_val))
			cfg->onfail = ONFAIL_SHELL;
		else if (cfg->onfail == ONFAIL_SHELL)
			cfg->onfail = ONFAIL_DEFAULT;
	} else if (key_is(key, "panic")) {
		char *end;
		long v = strtol(val, &end, 10);
		if (!has_val || *end || end == val)
			warn(cfg, "panic=%s: expected seconds", val);
		else {
			cfg->panic_s = (int)v;
			cfg->panic_given = true;
		}
	} else if (key_is(key, "nfsinit.debug") || key_is(key, "rd.debug")) {
		cfg->debug = is_true(val, has_val);
	} else if (!strncmp(key, "nfsinit.hook.", 13)) {
		/* The hooks' own parameters (nfsinit.hook.home=...); they read /proc/cmdline. */
	} else if (!strncmp(key, "nfsinit.", 8) && identity_param(cfg, key, val)) {
		/* nfsinit.class, nfsinit.var.*, nfsinit.templates, nfsinit.persist* */
	} else if (!strncmp(key, "nfsinit.", 8)) {
		warn(cfg, "unknown parameter %s (ignored)", key);
	}
}

void cmdline_parse(const char *cmdline, struct nfsinit_config *cfg)
{
	char key[128], val[NI_PATH_MAX];
	bool has_val, truncated;
	const char *p = cmdline;

	while (cmdline_next(&p, key, sizeof(key), val, sizeof(val), &has_val, &truncated)) {
		if (truncated) {
			warn(cfg, "parameter %.64s: value too long (ignored)", key);
			continue;
		}
		parse_param(cfg, key, val, has_val);
	}
	if (!cfg->root.given && !cfg->root_other[0])
		cfg->root_from_dhcp = true;
}
