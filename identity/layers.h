/* Which template layers a node gets, lowest precedence first: pure.
 *   common/                 every node
 *   class/<class>/          each class, in command-line order
 *   host/<hostname>/        the node by name
 *   mac/<aa-bb-cc-dd-ee-ff>/  the node by its boot NIC */
#ifndef NFSINIT_LAYERS_H
#define NFSINIT_LAYERS_H

#include <stdbool.h>
#include <stddef.h>
#include "../common/limits.h"

#define TMPL_MAX_LAYERS (NI_MAX_CLASSES + 3)
#define TMPL_LAYER_MAX  (NI_CLASS_MAX + NI_HOSTNAME_MAX + 8)

/* A name used as one directory: not empty, no '/', not "." or "..". */
bool tmpl_layer_name_ok(const char *name);

/* Appends the class names in text ("gpu,rack3" or "gpu rack3") to
 * classes[0..n) unless already there; returns the new count (at most max).
 * A name that is not a layer name, or one too many, is counted in *refused. */
int tmpl_class_list(const char *text, char (*classes)[NI_CLASS_MAX], int n, int max, int *refused);

/* Fills layers[] and returns their count. A class or hostname that is not a
 * safe directory name is left out and counted in *refused (the first one
 * copied to first_refused). mac_dir "" = no MAC layer. */
int tmpl_layers(const char (*classes)[NI_CLASS_MAX], int nclasses, const char *hostname, const char *mac_dir,
		char layers[][TMPL_LAYER_MAX], int *refused, char *first_refused, size_t cap);

#endif
