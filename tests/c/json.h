/* A minimal JSON reader for the shared test vectors: enough of RFC 8259 for the files in testdata/
 * (objects, arrays, numbers, strings with escapes, true/false/null). Test support only. */
#ifndef CXM_TEST_JSON_H
#define CXM_TEST_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    double number;              /* JSON_NUMBER; also 1/0 for JSON_BOOL */
    char *string;               /* JSON_STRING, NUL-terminated UTF-8 */
    struct json_value *items;   /* JSON_ARRAY elements, or JSON_OBJECT values */
    char **keys;                /* JSON_OBJECT keys, parallel to items */
    size_t len;
} json_value;

/* Parses NUL-terminated text into *out; returns 0 on success, -1 on a syntax error. */
int json_parse(const char *text, json_value *out);
/* The member `key` of an object, or NULL when absent or not an object. */
const json_value *json_get(const json_value *object, const char *key);
void json_free(json_value *value);
/* The file at `path` read and parsed into *out; exits (status 2) when it cannot be read or is not
 * JSON. Returns the text, for the caller to free (after json_free). */
char *read_json(const char *path, json_value *out);
/* A number: a JSON number, or "nan", "inf", "-inf" (strtod reads them) for those JSON cannot hold. */
double json_number(const json_value *v);
/* The integers of a JSON array, each null as `null_item`, in a fresh allocation (free it); NULL
 * when `array` is absent or null. */
int64_t *json_integers(const json_value *array, int64_t null_item);

#endif
