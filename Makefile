# Build and install newsdigest as a system service.
#   make                 release binary with the Swift runtime linked in (--static-swift-stdlib)
#   sudo make install    binary, man pages, config, unit, sysusers/tmpfiles/sysctl drop-ins
#   sudo make uninstall  removes what install put there (never the spool, state or digests)
#   make deb             dist/newsdigest_VERSION_ARCH.deb (scripts/make-deb; VERSION from
#                        Sources/NewsDigestDaemon/Version.swift)
# DESTDIR stages an install elsewhere; PREFIX (default /usr/local) holds the binary and man pages.
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(SYSCONFDIR)/systemd/system
SYSUSERSDIR ?= $(SYSCONFDIR)/sysusers.d
TMPFILESDIR ?= $(SYSCONFDIR)/tmpfiles.d
SYSCTLDIR  ?= $(SYSCONFDIR)/sysctl.d
BUILD      ?= .build-static
BINARY     ?= $(BUILD)/release/newsdigest

.PHONY: all install uninstall post-install deb $(BUILD)/release/newsdigest

all: $(BINARY)

# Always handed to swift build, which knows what changed.
$(BUILD)/release/newsdigest:
	swift build -c release --static-swift-stdlib --scratch-path $(BUILD)

install: $(BINARY)
	install -D -s -m 0755 $(BINARY) $(DESTDIR)$(BINDIR)/newsdigest
	install -D -m 0644 man/newsdigest.8 $(DESTDIR)$(MANDIR)/man8/newsdigest.8
	install -D -m 0644 man/newsdigest.toml.5 $(DESTDIR)$(MANDIR)/man5/newsdigest.toml.5
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/newsdigest
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' systemd/newsdigest.service.in \
	    > $(DESTDIR)$(UNITDIR)/newsdigest.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/newsdigest.service
	install -D -m 0644 systemd/newsdigest.sysusers $(DESTDIR)$(SYSUSERSDIR)/newsdigest.conf
	install -D -m 0644 systemd/newsdigest.tmpfiles $(DESTDIR)$(TMPFILESDIR)/newsdigest.conf
	install -D -m 0644 systemd/60-newsdigest.sysctl $(DESTDIR)$(SYSCTLDIR)/60-newsdigest.conf
	# The documented default config with the [paths] the unit and tmpfiles.d agree on. Once
	# installed it is the operator's: never overwritten (a new default goes beside it as .new).
	config=$(DESTDIR)$(SYSCONFDIR)/newsdigest/newsdigest.toml; \
	if [ -e $$config ]; then config=$$config.new; fi; \
	sed -e 's|^# drop = |drop = |' -e 's|^# state = |state = |' -e 's|^# digests = |digests = |' \
	    config/newsdigest.toml > $$config && chmod 0644 $$config

deb: $(BINARY)
	scripts/make-deb --binary $(BINARY)

# On the live system (no DESTDIR): the user, the folders, the sysctl, and systemd told.
post-install:
	systemd-sysusers $(SYSUSERSDIR)/newsdigest.conf
	systemd-tmpfiles --create $(TMPFILESDIR)/newsdigest.conf
	-sysctl -p $(SYSCTLDIR)/60-newsdigest.conf
	systemctl daemon-reload

uninstall:
	-systemctl disable --now newsdigest.service 2>/dev/null
	rm -f $(DESTDIR)$(BINDIR)/newsdigest $(DESTDIR)$(MANDIR)/man8/newsdigest.8 \
	    $(DESTDIR)$(MANDIR)/man5/newsdigest.toml.5 $(DESTDIR)$(UNITDIR)/newsdigest.service \
	    $(DESTDIR)$(SYSUSERSDIR)/newsdigest.conf $(DESTDIR)$(TMPFILESDIR)/newsdigest.conf \
	    $(DESTDIR)$(SYSCTLDIR)/60-newsdigest.conf $(DESTDIR)$(SYSCONFDIR)/newsdigest/newsdigest.toml.new
	@echo "kept: $(SYSCONFDIR)/newsdigest/newsdigest.toml, /var/spool/newsdigest, /var/lib/newsdigest"
