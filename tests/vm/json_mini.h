/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_mini.h - a strict JSON (RFC 8259) reader for tests that check what
 * a tool printed (bench_suite.c; tests/unit/json_mini.c tests the reader
 * itself): the text is parsed into a tree of nodes, or rejected with the
 * offset of the first error.  Strings keep their escapes undecoded apart
 * from \" and \\ (enough to compare keys and short values).
 */
#ifndef MICMEM_JSON_MINI_H
#define MICMEM_JSON_MINI_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUM, JM_STR, JM_ARR, JM_OBJ };

struct jm_node {
	enum jm_type type;
	double num;			/* JM_NUM; JM_BOOL: 0 or 1 */
	char *str;			/* JM_STR */
	char *key;			/* member name inside an object */
	struct jm_node *child, *next;	/* JM_ARR, JM_OBJ: members in order */
};

struct jm_parser {
	const char *s;
	size_t pos, err;		/* err: offset of the first error */
	int depth;
};

static inline void jm_free(struct jm_node *n)
{
	while (n) {
		struct jm_node *next = n->next;

		jm_free(n->child);
		free(n->str);
		free(n->key);
		free(n);
		n = next;
	}
}

static inline void jm_ws(struct jm_parser *p)
{
	while (strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static inline char *jm_string(struct jm_parser *p)
{
	size_t start, len = 0;
	char *out;

	if (p->s[p->pos] != '"')
		return NULL;
	start = ++p->pos;
	for (;;) {
		unsigned char c = (unsigned char)p->s[p->pos];

		if (!c || c < 0x20)
			return NULL;
		if (c == '"')
			break;
		if (c == '\\') {
			c = (unsigned char)p->s[++p->pos];
			if (c == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF",
						    p->s[p->pos + i]) ||
					    !p->s[p->pos + i])
						return NULL;
				p->pos += 4;
			} else if (!c || !strchr("\"\\/bfnrt", c)) {
				return NULL;
			}
		}
		p->pos++;
	}
	out = malloc(p->pos - start + 1);
	if (!out)
		return NULL;
	for (size_t i = start; i < p->pos; i++) {
		if (p->s[i] == '\\' && (p->s[i + 1] == '"' || p->s[i + 1] == '\\'))
			i++;
		out[len++] = p->s[i];
	}
	out[len] = 0;
	p->pos++;
	return out;
}

static inline bool jm_number(struct jm_parser *p, double *v)
{
	const char *s = p->s + p->pos, *q = s;
	char *end;

	if (*q == '-')
		q++;
	if (*q == '0')
		q++;
	else if (*q >= '1' && *q <= '9')
		while (*q >= '0' && *q <= '9')
			q++;
	else
		return false;
	if (*q == '.') {
		if (!(*++q >= '0' && *q <= '9'))
			return false;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return false;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	*v = strtod(s, &end);
	if (end != q)
		return false;
	p->pos += q - s;
	return true;
}

static inline struct jm_node *jm_value(struct jm_parser *p)
{
	struct jm_node *n, **tail;
	const char *s;

	if (++p->depth > 64)
		return NULL;
	jm_ws(p);
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	s = p->s + p->pos;
	if (!strncmp(s, "null", 4)) {
		n->type = JM_NULL;
		p->pos += 4;
	} else if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5)) {
		n->type = JM_BOOL;
		n->num = *s == 't';
		p->pos += *s == 't' ? 4 : 5;
	} else if (*s == '"') {
		n->type = JM_STR;
		n->str = jm_string(p);
		if (!n->str)
			goto bad;
	} else if (*s == '[' || *s == '{') {
		bool obj = *s == '{';

		n->type = obj ? JM_OBJ : JM_ARR;
		p->pos++;
		jm_ws(p);
		tail = &n->child;
		if (p->s[p->pos] == (obj ? '}' : ']')) {
			p->pos++;
			goto out;
		}
		for (;;) {
			char *key = NULL;
			struct jm_node *m;

			if (obj) {
				jm_ws(p);
				key = jm_string(p);
				if (!key)
					goto bad;
				jm_ws(p);
				if (p->s[p->pos++] != ':') {
					free(key);
					goto bad;
				}
			}
			m = jm_value(p);
			if (!m) {
				free(key);
				goto bad;
			}
			m->key = key;
			*tail = m;
			tail = &m->next;
			jm_ws(p);
			if (p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->s[p->pos] == (obj ? '}' : ']')) {
				p->pos++;
				break;
			}
			goto bad;
		}
	} else {
		n->type = JM_NUM;
		if (!jm_number(p, &n->num))
			goto bad;
	}
out:
	p->depth--;
	return n;
bad:
	if (!p->err)
		p->err = p->pos + 1;
	jm_free(n);
	return NULL;
}

/*
 * Parses all of @text: the tree, or NULL with *@err_off the 1-based offset
 * near the first error.
 */
static inline struct jm_node *jm_parse(const char *text, size_t *err_off)
{
	struct jm_parser p = { .s = text };
	struct jm_node *n = jm_value(&p);

	if (n) {
		jm_ws(&p);
		if (p.s[p.pos]) {
			jm_free(n);
			n = NULL;
			p.err = p.pos + 1;
		}
	}
	if (!n && err_off)
		*err_off = p.err ? p.err : 1;
	return n;
}

/* Member @key of object @o, or NULL. */
static inline struct jm_node *jm_get(const struct jm_node *o, const char *key)
{
	struct jm_node *m;

	if (!o || o->type != JM_OBJ)
		return NULL;
	for (m = o->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

/* A number member, or NAN. */
static inline double jm_num(const struct jm_node *o, const char *key)
{
	const struct jm_node *m = jm_get(o, key);

	return m && m->type == JM_NUM ? m->num : NAN;
}

/* A string member, or NULL. */
static inline const char *jm_str(const struct jm_node *o, const char *key)
{
	const struct jm_node *m = jm_get(o, key);

	return m && m->type == JM_STR ? m->str : NULL;
}

#endif /* MICMEM_JSON_MINI_H */
