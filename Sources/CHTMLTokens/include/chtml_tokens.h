#ifndef CHTML_TOKENS_H
#define CHTML_TOKENS_H

#include <stddef.h>
#include <stdint.h>

// An HTML page parsed by libxml2's HTML parser (with recovery, no network, no entity loading,
// no error output) and flattened into one byte buffer of tokens, so Swift never sees a libxml2
// type. Tokens, in document order:
//   'O' NAME\0 N(uint16, little-endian) then N times ATTR\0VALUE\0   an element opens
//   'C'                                                             the last open element closes
//   'T' LEN(uint32, little-endian) BYTES                            text (UTF-8)
// Comments, processing instructions and the like are left out.
typedef struct chtml_tokens {
    uint8_t *bytes;
    size_t count;
} chtml_tokens;

// Parses `length` bytes in `encoding` (an IANA name libxml2 knows, e.g. "UTF-8",
// "windows-1252"). Returns 0 and fills `out` (free it with chtml_tokens_free), or -1 when the
// page could not be parsed at all or memory ran out.
int chtml_tokenize(const char *bytes, size_t length, const char *encoding, chtml_tokens *out);

void chtml_tokens_free(chtml_tokens *tokens);

#endif
