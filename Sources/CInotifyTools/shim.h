#ifndef NEWSDIGEST_CINOTIFYTOOLS_SHIM_H
#define NEWSDIGEST_CINOTIFYTOOLS_SHIM_H

#include <sys/inotify.h>
#include <inotifytools/inotifytools.h>

/* Swift does not import a flexible array member: hand the event's name over as a plain pointer
   (NULL when the event carries no name). */
static inline const char *newsdigest_inotify_event_name(const struct inotify_event *event) {
    return event->len > 0 ? event->name : 0;
}

#endif
