// Argument helpers shared by the addon's files: a TypeError to throw, a Uint8Array's bytes.
#pragma once
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

static inline napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// The bytes of a Uint8Array (a Buffer is one); 0 when the value is anything else.
static inline int bytes_of(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, (void **)data, &buffer, &offset) != napi_ok)
    return 0;
  return type == napi_uint8_array;
}
