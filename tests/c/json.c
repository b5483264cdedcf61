#include "json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct { const char *p; } cursor;

static void skip_space(cursor *c) {
    while (isspace((unsigned char)*c->p)) c->p++;
}

static int parse_value(cursor *c, json_value *out);

static int append_utf8(char *buf, size_t *n, unsigned long cp) {
    if (cp < 0x80) {
        buf[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | (cp >> 6));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xE0 | (cp >> 12));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
    return 0;
}

static int parse_string(cursor *c, char **out) {
    const char *start = ++c->p; /* after the opening quote */
    size_t cap = 1;
    while (*c->p && *c->p != '"') { /* the decoded text is never longer than the source */
        if (*c->p == '\\' && c->p[1]) c->p++;
        c->p++;
        cap++;
    }
    if (*c->p != '"') return -1;
    char *buf = malloc(cap * 3);
    size_t n = 0;
    for (const char *s = start; s < c->p; s++) {
        if (*s != '\\') { buf[n++] = *s; continue; }
        s++;
        switch (*s) {
            case 'n': buf[n++] = '\n'; break;
            case 't': buf[n++] = '\t'; break;
            case 'r': buf[n++] = '\r'; break;
            case 'b': buf[n++] = '\b'; break;
            case 'f': buf[n++] = '\f'; break;
            case 'u': {
                char hex[5] = {0};
                memcpy(hex, s + 1, 4);
                append_utf8(buf, &n, strtoul(hex, NULL, 16));
                s += 4;
                break;
            }
            default: buf[n++] = *s; /* \" \\ \/ */
        }
    }
    buf[n] = '\0';
    c->p++; /* closing quote */
    *out = buf;
    return 0;
}

static int parse_list(cursor *c, json_value *out, int object) {
    char close = object ? '}' : ']';
    size_t cap = 8;
    out->type = object ? JSON_OBJECT : JSON_ARRAY;
    out->items = malloc(cap * sizeof *out->items);
    out->keys = object ? malloc(cap * sizeof *out->keys) : NULL;
    out->len = 0;
    c->p++;
    skip_space(c);
    if (*c->p == close) { c->p++; return 0; }
    for (;;) {
        if (out->len == cap) {
            cap *= 2;
            out->items = realloc(out->items, cap * sizeof *out->items);
            if (object) out->keys = realloc(out->keys, cap * sizeof *out->keys);
        }
        skip_space(c);
        if (object) {
            if (*c->p != '"' || parse_string(c, &out->keys[out->len]) != 0) return -1;
            skip_space(c);
            if (*c->p++ != ':') return -1;
        }
        if (parse_value(c, &out->items[out->len]) != 0) return -1;
        out->len++;
        skip_space(c);
        if (*c->p == ',') { c->p++; continue; }
        if (*c->p == close) { c->p++; return 0; }
        return -1;
    }
}

static int parse_value(cursor *c, json_value *out) {
    memset(out, 0, sizeof *out);
    skip_space(c);
    switch (*c->p) {
        case '{': return parse_list(c, out, 1);
        case '[': return parse_list(c, out, 0);
        case '"': out->type = JSON_STRING; return parse_string(c, &out->string);
        case 't': out->type = JSON_BOOL; out->number = 1; c->p += 4; return 0;
        case 'f': out->type = JSON_BOOL; c->p += 5; return 0;
        case 'n': out->type = JSON_NULL; c->p += 4; return 0;
        default: {
            char *end;
            out->type = JSON_NUMBER;
            out->number = strtod(c->p, &end); /* glibc's strtod rounds correctly */
            if (end == c->p) return -1;
            c->p = end;
            return 0;
        }
    }
}

int json_parse(const char *text, json_value *out) {
    cursor c = {text};
    return parse_value(&c, out);
}

const json_value *json_get(const json_value *object, const char *key) {
    if (!object || object->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->len; i++)
        if (strcmp(object->keys[i], key) == 0) return &object->items[i];
    return NULL;
}

void json_free(json_value *value) {
    for (size_t i = 0; i < value->len; i++) {
        json_free(&value->items[i]);
        if (value->keys) free(value->keys[i]);
    }
    free(value->items);
    free(value->keys);
    free(value->string);
}

double json_number(const json_value *v) { return v->type == JSON_STRING ? strtod(v->string, NULL) : v->number; }

int64_t *json_integers(const json_value *array, int64_t null_item) {
    if (!array || array->type == JSON_NULL) return NULL;
    int64_t *values = malloc((array->len ? array->len : 1) * sizeof *values);
    for (size_t i = 0; i < array->len; i++)
        values[i] = array->items[i].type == JSON_NULL ? null_item : (int64_t)array->items[i].number;
    return values;
}

char *read_json(const char *path, json_value *out) {
    char *text = read_file(path);
    if (json_parse(text, out) != 0) {
        fprintf(stderr, "%s: bad JSON\n", path);
        exit(2);
    }
    return text;
}
