// The recording's hot loop in C (see fast-cast.ts): finding how far a run of terminal output holds
// nothing the redactor could act on, and writing such a run into the cast as JSON string contents.
// Both work on the output's UTF-8 bytes, so a clean run never becomes a JavaScript string at all;
// everything else takes the redactor's JavaScript path, which stays the reference. A third helper
// starts the cast's write-back to disk without waiting for it.

// sync_file_range(2) is a Linux call, declared only with _GNU_SOURCE (before any header).
#ifdef __linux__
#define _GNU_SOURCE
#include <fcntl.h>
#endif
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "napi-args.h"
#include "pty-pump.h"

#define MAX_KEYWORDS 256
#define MAX_KEYWORD_BYTES 64

// What may start a secret: the redactor's keywords, found by their first two bytes, then compared
// whole; `:` and `=` after a name that ends in one of the secret words' last letters; any byte of a
// multi-byte character, so that the run is checked as UTF-8 on the way.
typedef struct {
  // By two bytes, the first one low: a byte per pair (64 KB) costs one load per place, where a bit
  // per pair took a shift and a mask as well (4x slower on text).
  uint8_t pairs[65536];
  uint8_t name_end[256];
  unsigned count;
  uint8_t lengths[MAX_KEYWORDS];
  uint8_t keywords[MAX_KEYWORDS][MAX_KEYWORD_BYTES];
} Prefilter;

static void mark_pair(Prefilter *filter, unsigned first, unsigned second) {
  filter->pairs[second << 8 | first] = 1;
}

static void mark_first(Prefilter *filter, unsigned first) {
  for (unsigned second = 0; second < 256; second++) mark_pair(filter, first, second);
}

// The length of the well-formed UTF-8 sequence at s[i] (as the Unicode standard and V8's decoder
// take it), or 0 when it is ill-formed or runs past `end`.
static size_t utf8_length(const uint8_t *s, size_t i, size_t end) {
  uint8_t c = s[i];
  size_t need;
  uint8_t low = 0x80, high = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c == 0xe0) low = 0xa0;
    if (c == 0xed) high = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c == 0xf0) low = 0x90;
    if (c == 0xf4) high = 0x8f;
  } else return 0;
  if (i + need >= end) return 0;
  if (s[i + 1] < low || s[i + 1] > high) return 0;
  for (size_t k = 2; k <= need; k++)
    if ((s[i + k] & 0xc0) != 0x80) return 0;
  return need + 1;
}

// Whether the `:` or `=` at s[at] follows a name the keyed rules would look at: back over spaces and
// tabs and one quote, the last letter of a secret word (in either case). A name that would start
// before `start` counts as one: the caller's run cannot tell.
static int separator_triggers(const Prefilter *filter, const uint8_t *s, size_t start, size_t at) {
  size_t name_end = at;
  while (name_end > start && (s[name_end - 1] == ' ' || s[name_end - 1] == '\t')) name_end--;
  if (name_end > start && (s[name_end - 1] == '"' || s[name_end - 1] == '\'')) name_end--;
  if (name_end <= start) return 1;
  return filter->name_end[s[name_end - 1] | 0x20];
}

static int keyword_at(const Prefilter *filter, const uint8_t *s, size_t i, size_t end) {
  for (unsigned k = 0; k < filter->count; k++) {
    size_t length = filter->lengths[k];
    const uint8_t *keyword = filter->keywords[k];
    if (keyword[0] != s[i]) continue;
    size_t available = end - i < length ? end - i : length;
    // A keyword cut off by the end of the run may still be one.
    if (memcmp(s + i, keyword, available) == 0) return 1;
  }
  return 0;
}

static inline unsigned pair_marked(const Prefilter *filter, unsigned first, unsigned second) {
  return filter->pairs[second << 8 | first];
}

static inline unsigned pair_at(const Prefilter *filter, const uint8_t *s) {
  // One 16-bit load where the machine is little-endian; correct everywhere.
  return filter->pairs[(unsigned)s[0] | (unsigned)s[1] << 8];
}

// Past the blocks of eight places with no marked pair, one branch per block: nearly all of text.
static inline size_t skip_clean_blocks(const Prefilter *filter, const uint8_t *s, size_t i, size_t end) {
  while (i + 9 <= end) {
    unsigned any = 0;
    for (unsigned k = 0; k < 8; k++) any |= pair_at(filter, s + i + k);
    if (any) break;
    i += 8;
  }
  return i;
}

static size_t clean_until(const Prefilter *filter, const uint8_t *s, size_t start, size_t end) {
  size_t i = skip_clean_blocks(filter, s, start, end);
  while (i < end) {
    unsigned c = s[i];
    if (!pair_marked(filter, c, i + 1 < end ? s[i + 1] : 0)) {
      i = skip_clean_blocks(filter, s, i + 1, end);
      continue;
    }
    if (c >= 0x80) {
      size_t length = utf8_length(s, i, end);
      if (length == 0) return i;
      i = skip_clean_blocks(filter, s, i + length, end);
      continue;
    }
    if (c == ':' || c == '=') {
      if (separator_triggers(filter, s, start, i)) return i;
    } else if (keyword_at(filter, s, i, end)) {
      return i;
    }
    i = skip_clean_blocks(filter, s, i + 1, end);
  }
  return end;
}

// JSON.stringify's escapes for a string's characters: \" \\ \b \f \n \r \t, other controls as \u00xx.
// Nothing else is escaped (DEL, non-ASCII and U+2028 go as they are), and well-formed UTF-8 holds no
// lone surrogate, so the bytes out are exactly JSON.stringify's, less the quotes.
static const uint8_t SHORT_ESCAPE[32] = {
    0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r', 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0,   0,   0,   0, 0,   0,   0, 0,
};
static const char HEX[] = "0123456789abcdef";

// One byte that needs an escape, written at d; where the output goes on.
static inline uint8_t *escape_byte(uint8_t c, uint8_t *d) {
  *d++ = '\\';
  if (c == '"' || c == '\\') *d++ = c;
  else if (SHORT_ESCAPE[c]) *d++ = SHORT_ESCAPE[c];
  else {
    *d++ = 'u';
    *d++ = '0';
    *d++ = '0';
    *d++ = (uint8_t)HEX[c >> 4];
    *d++ = (uint8_t)HEX[c & 15];
  }
  return d;
}

#if defined(__SSE2__)
#include <emmintrin.h>

// Sixteen bytes at a time: each block is stored as it is, then the output goes on only as far as
// the first byte that needs an escape (terminal text has a newline every line, so a block ending at
// the first one is the common case). The store may run up to 15 bytes past what is kept: the caller
// gives 6 bytes of room per byte, and a block is only taken with 16 bytes of input left.
static size_t escape_json(const uint8_t *s, size_t length, uint8_t *out) {
  uint8_t *d = out;
  size_t i = 0;
  const __m128i controls = _mm_set1_epi8((char)0xe0);
  const __m128i zero = _mm_setzero_si128();
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  while (i + 16 <= length) {
    __m128i block = _mm_loadu_si128((const __m128i *)(s + i));
    _mm_storeu_si128((__m128i *)d, block);
    __m128i escaped = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(block, controls), zero),
                                   _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
    unsigned mask = (unsigned)_mm_movemask_epi8(escaped);
    if (mask == 0) {
      i += 16;
      d += 16;
      continue;
    }
    unsigned clean = (unsigned)__builtin_ctz(mask);
    i += clean;
    d += clean;
    d = escape_byte(s[i++], d);
  }
  for (; i < length; i++) {
    uint8_t c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\') *d++ = c;
    else d = escape_byte(c, d);
  }
  return (size_t)(d - out);
}
#else
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

// Whether any of the 8 bytes needs an escape: below 0x20, a quote or a backslash.
static inline int word_needs_escape(uint64_t w) {
  uint64_t below = (w - ONES * 0x20) & ~w;
  uint64_t quote = w ^ (ONES * '"');
  uint64_t backslash = w ^ (ONES * '\\');
  uint64_t has_quote = (quote - ONES) & ~quote;
  uint64_t has_backslash = (backslash - ONES) & ~backslash;
  return ((below | has_quote | has_backslash) & HIGHS) != 0;
}

static size_t escape_json(const uint8_t *s, size_t length, uint8_t *out) {
  uint8_t *d = out;
  size_t i = 0;
  while (i < length) {
    if (i + 8 <= length) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!word_needs_escape(w)) {
        memcpy(d, &w, 8);
        d += 8;
        i += 8;
        continue;
      }
    }
    uint8_t c = s[i++];
    if (c >= 0x20 && c != '"' && c != '\\') *d++ = c;
    else d = escape_byte(c, d);
  }
  return (size_t)(d - out);
}
#endif

// ---------------------------------------------------------------------------------------------------
// The JavaScript side

static int index_of(napi_env env, napi_value value, size_t *out) {
  int64_t number;
  if (napi_get_value_int64(env, value, &number) != napi_ok || number < 0) return 0;
  *out = (size_t)number;
  return 1;
}

static void free_prefilter(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

// prefilter(keywords: Uint8Array[], nameEnds: Uint8Array): an opaque handle for cleanUntil.
static napi_value prefilter(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2) return fail(env, "prefilter(keywords, nameEnds)");
  uint32_t count;
  if (napi_get_array_length(env, argv[0], &count) != napi_ok || count > MAX_KEYWORDS)
    return fail(env, "keywords must be an array of at most 256 Uint8Arrays");
  Prefilter *filter = calloc(1, sizeof(Prefilter));
  if (!filter) return fail(env, "out of memory");
  for (uint32_t k = 0; k < count; k++) {
    napi_value item;
    uint8_t *data;
    size_t length;
    napi_get_element(env, argv[0], k, &item);
    if (!bytes_of(env, item, &data, &length) || length == 0 || length > MAX_KEYWORD_BYTES) {
      free(filter);
      return fail(env, "each keyword must be a Uint8Array of 1 to 64 bytes");
    }
    memcpy(filter->keywords[k], data, length);
    filter->lengths[k] = (uint8_t)length;
    if (length == 1) mark_first(filter, data[0]);
    else mark_pair(filter, data[0], data[1]);
  }
  filter->count = count;
  uint8_t *ends;
  size_t end_count;
  if (!bytes_of(env, argv[1], &ends, &end_count)) {
    free(filter);
    return fail(env, "nameEnds must be a Uint8Array");
  }
  for (size_t k = 0; k < end_count; k++) filter->name_end[ends[k]] = 1;
  mark_first(filter, ':');
  mark_first(filter, '=');
  for (unsigned c = 0x80; c < 256; c++) mark_first(filter, c);
  napi_value handle;
  if (napi_create_external(env, filter, free_prefilter, NULL, &handle) != napi_ok) {
    free(filter);
    return fail(env, "cannot make the prefilter");
  }
  return handle;
}

// cleanUntil(prefilter, bytes, start, end): the first place in [start, end) where the redactor could
// find something (or a character is ill-formed or cut off), else end.
static napi_value clean_until_js(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Prefilter *filter;
  uint8_t *data;
  size_t length, start, end;
  if (argc < 4 || napi_get_value_external(env, argv[0], (void **)&filter) != napi_ok ||
      !bytes_of(env, argv[1], &data, &length) || !index_of(env, argv[2], &start) ||
      !index_of(env, argv[3], &end) || start > end || end > length)
    return fail(env, "cleanUntil(prefilter, bytes, start, end) with 0 <= start <= end <= bytes.length");
  napi_value result;
  napi_create_int64(env, (int64_t)clean_until(filter, data, start, end), &result);
  return result;
}

// escapeJson(bytes, start, end, out, offset): writes bytes[start, end) (well-formed UTF-8) into out at
// offset as JSON string contents; the number of bytes written. out must have 6 bytes of room per byte.
static napi_value escape_json_js(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *data, *out;
  size_t length, start, end, out_length, offset;
  if (argc < 5 || !bytes_of(env, argv[0], &data, &length) || !index_of(env, argv[1], &start) ||
      !index_of(env, argv[2], &end) || start > end || end > length ||
      !bytes_of(env, argv[3], &out, &out_length) || !index_of(env, argv[4], &offset) ||
      offset > out_length || (out_length - offset) / 6 < end - start)
    return fail(env, "escapeJson(bytes, start, end, out, offset) with 6 bytes of room in out per byte");
  napi_value result;
  napi_create_int64(env, (int64_t)escape_json(data + start, end - start, out + offset), &result);
  return result;
}

// startWriteback(fd): asks the kernel to start writing the file's dirty pages to disk and returns
// at once (sync_file_range(2) with SYNC_FILE_RANGE_WRITE alone: no wait, no metadata, no promise of
// durability; an fsync later has only what is still in flight left to wait for). False where the call
// is missing or fails: nothing else depends on it.
static napi_value start_writeback_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0)
    return fail(env, "startWriteback(fd) with a file descriptor");
  bool started = false;
#ifdef __linux__
  started = sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0;
#endif
  napi_value result;
  napi_get_boolean(env, started, &result);
  return result;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor functions[] = {
      {"prefilter", NULL, prefilter, NULL, NULL, NULL, napi_default, NULL},
      {"cleanUntil", NULL, clean_until_js, NULL, NULL, NULL, napi_default, NULL},
      {"escapeJson", NULL, escape_json_js, NULL, NULL, NULL, napi_default, NULL},
      {"startWriteback", NULL, start_writeback_js, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  define_pty_pump(env, exports);
  return exports;
}
