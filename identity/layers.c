#include "layers.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool tmpl_layer_name_ok(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       strlen(name) < NI_HOSTNAME_MAX;
}

static void add(char layers[][TMPL_LAYER_MAX], int *n, const char *kind, const char *name, int *refused,
		char *first_refused, size_t cap)
{
	if (!tmpl_layer_name_ok(name)) {
		if ((*refused)++ == 0)
			snprintf(first_refused, cap, "%s/%s", kind, name);
		return;
	}
	snprintf(layers[(*n)++], TMPL_LAYER_MAX, "%s/%s", kind, name);
}

/* As nfsinit.class= takes them: letters, digits, _ . - and no leading . or -. */
static bool class_word(const char *s, size_t n)
{
	if (s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

int tmpl_class_list(const char *text, char (*classes)[NI_CLASS_MAX], int n, int max, int *refused)
{
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ", \t");
		bool dup = false;
		if (len > 0) {
			for (int i = 0; i < n; i++)
				dup |= strlen(classes[i]) == len && !memcmp(classes[i], p, len);
			if (dup) {
				/* already a class */
			} else if (len >= NI_CLASS_MAX || n >= max || !class_word(p, len)) {
				(*refused)++;
			} else {
				memcpy(classes[n], p, len);
				classes[n++][len] = '\0';
			}
		}
		p += len;
		p += strspn(p, ", \t");
	}
	return n;
}

int tmpl_layers(const char (*classes)[NI_CLASS_MAX], int nclasses, const char *hostname, const char *mac_dir,
		char layers[][TMPL_LAYER_MAX], int *refused, char *first_refused, size_t cap)
{
	int n = 0;
	*refused = 0;
	if (cap)
		first_refused[0] = '\0';
	strcpy(layers[n++], "common");
	for (int i = 0; i < nclasses && i < NI_MAX_CLASSES; i++)
		add(layers, &n, "class", classes[i], refused, first_refused, cap);
	if (hostname && hostname[0])
		add(layers, &n, "host", hostname, refused, first_refused, cap);
	if (mac_dir && mac_dir[0])
		add(layers, &n, "mac", mac_dir, refused, first_refused, cap);
	return n;
}
