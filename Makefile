# Một Cửa — the two commands a new machine needs are `make run` and `make test`.
DATA ?=
GO   ?= go

.PHONY: run demo test vet fmt-check windows msi msi-test fuzz screenshots ci deps

deps:
	@scripts/deps.sh

## run: start the app with its database in the default data folder (or DATA=dir)
run: deps
	$(GO) run . $(if $(DATA),--data $(DATA))

## demo: start the app on a throw-away demo office
demo: deps
	$(GO) run . --demo --data $$(mktemp -d)

## test: every test of every package (real bbolt files, real hub over HTTP, real PDFs)
test: deps
	$(GO) test -count=1 ./...
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo "### POSTGRESQL HALF SKIPPED: the store tests ran on bbolt only (apt-get install postgresql)" >&2

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi

## windows: cross-build MotCua.exe (cgo with mingw) and motcua-hub.exe
windows:
	@scripts/deps.sh windows
	scripts/winres.sh
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -ldflags "-H windowsgui -s -w" -o dist/MotCua.exe .
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -ldflags "-s -w" -o dist/motcua-hub.exe ./cmd/hub
	scripts/sign.sh dist/MotCua.exe dist/motcua-hub.exe

## msi: dist/MotCua-VERSION.msi (wixl); the .exe and .msi are signed when SIGN_PFX or SIGN_CERT is set
msi: windows
	scripts/msi.sh

## msi-test: a throw-away certificate signs two MSIs; install, start, upgrade and uninstall under Wine
msi-test:
	scripts/msi-wine-test.sh dist/MotCua.exe

## fuzz: run every fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

## screenshots: the real binary under Xvfb (home, receive, list, detail), the counter walkthrough
## (receive, print, refuse: fails when a step does not happen), then the .exe under Wine
screenshots:
	scripts/screenshots.sh
	scripts/walkthrough.sh docs/screenshots/walkthrough
	scripts/wine-smoke.sh dist/MotCua.exe docs/screenshots/windows-wine.png

ci: fmt-check test vet windows msi-test fuzz screenshots
