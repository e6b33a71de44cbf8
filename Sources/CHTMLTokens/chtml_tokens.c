#include "chtml_tokens.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

typedef struct {
    uint8_t *bytes;
    size_t count;
    size_t capacity;
    int failed;
} buffer;

static void put(buffer *b, const void *data, size_t n) {
    if (b->failed) return;
    if (b->count + n > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->count + n) capacity *= 2;
        uint8_t *grown = realloc(b->bytes, capacity);
        if (!grown) { b->failed = 1; return; }
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->count, data, n);
    b->count += n;
}

static void put_string(buffer *b, const xmlChar *s) {
    const char *c = s ? (const char *)s : "";
    put(b, c, strlen(c) + 1);
}

static void put_text(buffer *b, const xmlChar *s) {
    if (!s) return;
    size_t n = strlen((const char *)s);
    if (n == 0) return;
    uint8_t kind = 'T';
    uint32_t length = (uint32_t)n;
    uint8_t le[4] = {length & 0xFF, (length >> 8) & 0xFF, (length >> 16) & 0xFF, (length >> 24) & 0xFF};
    put(b, &kind, 1);
    put(b, le, 4);
    put(b, s, n);
}

static void open_element(buffer *b, xmlNode *node) {
    uint8_t kind = 'O';
    put(b, &kind, 1);
    put_string(b, node->name);
    uint16_t n = 0;
    for (xmlAttr *a = node->properties; a && n < 0xFFFF; a = a->next) n++;
    uint8_t le[2] = {n & 0xFF, (n >> 8) & 0xFF};
    put(b, le, 2);
    uint16_t i = 0;
    for (xmlAttr *a = node->properties; a && i < n; a = a->next, i++) {
        put_string(b, a->name);
        xmlChar *value = xmlNodeListGetString(node->doc, a->children, 1);
        put_string(b, value);
        if (value) xmlFree(value);
    }
}

// libxml2 reports encoding problems through its generic error handler whatever the parser's
// options say; a daemon's standard error is not the place for them.
static void chtml_silent(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static void chtml_silent_structured(void *context, xmlErrorPtr error) {
    (void)context;
    (void)error;
}

int chtml_tokenize(const char *bytes, size_t length, const char *encoding, chtml_tokens *out) {
    out->bytes = NULL;
    out->count = 0;
    // Per thread in libxml2 built with threads (Debian's is): set on the thread that parses.
    xmlSetGenericErrorFunc(NULL, chtml_silent);
    xmlSetStructuredErrorFunc(NULL, chtml_silent_structured);
    if (length > INT32_MAX) return -1;
    htmlParserCtxtPtr context = htmlNewParserCtxt();
    if (!context) return -1;
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
        | HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
    htmlDocPtr doc = htmlCtxtReadMemory(context, bytes, (int)length, NULL, encoding, options);
    htmlFreeParserCtxt(context);
    if (!doc) return -1;
    buffer b = {0};
    xmlNode *root = xmlDocGetRootElement(doc);
    // An iterative walk: pages nest deep, and the C stack is not the place to find out how deep.
    xmlNode *node = root;
    while (node && !b.failed) {
        if (node->type == XML_ELEMENT_NODE) {
            open_element(&b, node);
            if (node->children) {
                node = node->children;
                continue;
            }
            uint8_t close = 'C';
            put(&b, &close, 1);
        } else if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            put_text(&b, node->content);
        }
        // Up until a node with a next sibling, closing each element left.
        while (node && node != root && !node->next) {
            node = node->parent;
            if (node && node->type == XML_ELEMENT_NODE) {
                uint8_t close = 'C';
                put(&b, &close, 1);
            }
        }
        if (!node || node == root) break;
        node = node->next;
    }
    xmlFreeDoc(doc);
    if (b.failed) {
        free(b.bytes);
        return -1;
    }
    out->bytes = b.bytes;
    out->count = b.count;
    return 0;
}

void chtml_tokens_free(chtml_tokens *tokens) {
    free(tokens->bytes);
    tokens->bytes = NULL;
    tokens->count = 0;
}
