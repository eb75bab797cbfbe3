// Command motcua-hub runs the reference central interconnection hub (liên
// thông) of Một Cửa and administers its agencies and keys.
//
// See usage below (also printed by `motcua-hub -h`). The server logic lives in
// package motcua/hub; this file only parses flags, wires signals and TLS.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/hub"
)

const usage = `motcua-hub — the central interconnection hub (liên thông) of Một Cửa

Usage:
  motcua-hub serve      --data DIR [--addr 127.0.0.1:8088] [--cert FILE --key FILE]
                        [--rate 20 --burst 40] [--quota-mib 20480] [--max-conns 512]
                        [--body-timeout 30s] [--grace 35s] [--lookup-rate 1 --lookup-burst 20]
                        [--log-json] [--log-level info]
  motcua-hub agency add --data DIR --code CODE --name NAME [--parent CODE] [--level LEVEL]
  motcua-hub agency list --data DIR
  motcua-hub agency activate   --data DIR --code CODE
  motcua-hub agency deactivate --data DIR --code CODE
  motcua-hub key issue  --data DIR --code CODE
  motcua-hub key revoke --data DIR --code CODE
  motcua-hub release publish  --data DIR --msi FILE --version V --sig FILE.sig --notes "…" [--pub KEYS]
  motcua-hub release list     --data DIR
  motcua-hub release withdraw --data DIR --version V
  motcua-hub service install|uninstall|start|stop|run  (Windows service; see below)
  motcua-hub portal add  --data DIR --code CODE --name NAME
  motcua-hub portal list --data DIR
  motcua-hub portal key issue  --data DIR --code CODE
  motcua-hub portal key revoke --data DIR --code CODE
  motcua-hub digests    --data DIR --code CODE   (the agency's daily digests, one JSON a line)
  motcua-hub openapi                      (prints the OpenAPI document)

Commands:
  serve           Serve the API (OpenAPI 3.0.3, GET /v1/health without a key) until SIGINT or
                  SIGTERM, then shut down gracefully (waits up to 35 s for requests in flight,
                  long-polls included). HTTPS when --cert and --key are given; plain HTTP is
                  meant for loopback only. Requests are logged to stderr. --rate/--burst set
                  the token bucket per key (--rate 0: no limit); over it → 429 + Retry-After.
                  --quota-mib: blob storage per agency (over it → 413); --max-conns: open
                  connections at once; --body-timeout: a request body must arrive within it
                  (a blob must make progress within it); --grace: how long shutdown waits for
                  requests in flight before closing every connection. --lookup-rate/-burst:
                  the public look-up (/v1/public/lookup, /tra-cuu) per client address.
  agency add      Register an agency and print its first key ONCE: the hub stores only its
                  SHA-256. CODE is the mã định danh, e.g. 000.00.01.H22
                  (^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$).
                  LEVEL is province, department, commune or other (default other).
  agency list     Print the directory.
  agency deactivate / activate
                  An inactive agency receives no new transfers; its keys keep working.
  key issue       Print one more key for the agency. Older keys STAY VALID: give the new key
                  to the new installation, then revoke when an old one must stop.
  key revoke      Revoke EVERY key of the agency (then issue a fresh one).
  release publish Offer a new version of the desktop program to every office: the MSI, its
                  version, Vietnamese notes and the signature the release officer made OFFLINE
                  (motcua-release sign; the hub never holds the private key). --pub checks the
                  signature against the public key(s) first. Desktops see it at their next poll.
  release list    Print the published releases, newest first.
  release withdraw
                  Stop offering a version (the previous one becomes the latest).
  service         Windows only: install registers "motcua-hub" as a Windows service that starts
                  with the machine and runs serve with the flags given after install (--data
                  is required); uninstall removes it; start/stop; run is what the service
                  manager calls. Logs go to DATA\logs\hub.log.
  portal add      Register the province's online public-service portal (v1.1) and print its
                  first key ONCE. CODE is like DVC-H56. A portal key may upload blobs, submit
                  online dossiers and read its own inbox, nothing else.
  portal key issue / revoke
                  Like key issue / revoke, for a portal.

The administration commands work while the hub is serving: they talk to the running hub over
DIR/admin.sock (a Unix socket only the hub's user can open) and what they change is in effect
for the next request. With no hub serving, they open the data folder themselves.

Data folder: DIR/hub.db (bbolt: agencies, key hashes, transfers, events, idempotency
records) and DIR/blobs/ab/cdef… (attachments, named by SHA-256).

Example:
  motcua-hub agency add --data /srv/hub --code 000.00.01.H22 --name "UBND xã Tân Lập" --level commune
  motcua-hub serve --data /srv/hub --addr :8443 --cert hub.crt --key hub.key
  curl -H "Authorization: Bearer mck_…" https://hub.example:8443/v1/inbox?wait=30
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "motcua-hub:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("a command is required")
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "agency" || cmd == "key" || cmd == "portal" || cmd == "release") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	if cmd == "portal key" && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("motcua-hub "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	data := fs.String("data", "", "data folder")
	code := fs.String("code", "", "agency code (mã định danh)")
	switch cmd {
	case "serve":
		addr := fs.String("addr", "127.0.0.1:8088", "listen address")
		cert := fs.String("cert", "", "TLS certificate file (PEM)")
		key := fs.String("key", "", "TLS key file (PEM)")
		logJSON := fs.Bool("log-json", false, "log as JSON lines")
		logLevel := fs.String("log-level", "info", "debug, info, warn or error")
		rate := fs.Float64("rate", 20, "requests per second per key (0: no limit)")
		burst := fs.Int("burst", 40, "rate limit burst per key")
		quota := fs.Int64("quota-mib", 20480, "blob storage quota per agency in MiB (0: no quota)")
		maxConns := fs.Int("max-conns", 512, "open connections at once")
		bodyTimeout := fs.Duration("body-timeout", 30*time.Second, "a request body must arrive within it")
		grace := fs.Duration("grace", 35*time.Second, "shutdown waits this long for requests in flight")
		lookupRate := fs.Float64("lookup-rate", 1, "public look-ups per second per client address (0: no limit)")
		lookupBurst := fs.Int("lookup-burst", 20, "public look-up burst per client address")
		if err := parse(fs, rest, data); err != nil {
			return err
		}
		if (*cert == "") != (*key == "") {
			return errors.New("--cert and --key go together")
		}
		opts := hub.Options{RateLimit: *rate, RateBurst: *burst, BlobQuota: *quota << 20, BodyTimeout: *bodyTimeout,
			LookupRate: *lookupRate, LookupBurst: *lookupBurst}
		if *quota == 0 {
			opts.BlobQuota = -1
		}
		if *lookupRate == 0 {
			opts.LookupRate = -1
		}
		if *rate == 0 {
			opts.RateLimit = -1
		}
		lvl, err := logrus.ParseLevel(*logLevel)
		if err != nil {
			return err
		}
		logger := logrus.New()
		logger.SetOutput(stderr)
		logger.SetLevel(lvl)
		if *logJSON {
			logger.SetFormatter(&logrus.JSONFormatter{})
		}
		opts.Logger = logger
		return serve(*data, *addr, *cert, *key, opts, hub.ServerOptions{MaxConns: *maxConns}, *grace)
	case "agency add":
		name := fs.String("name", "", "agency name, e.g. \"UBND xã Tân Lập\"")
		parent := fs.String("parent", "", "governing agency code")
		level := fs.String("level", string(api.LevelOther), "province, department, commune or other")
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: "agency-add", Code: *code, Name: *name, Parent: *parent, Level: *level})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "agency %s added; its key (shown once, keep it secret):\n", *code)
		fmt.Fprintln(stdout, resp.Key)
		return nil
	case "agency list":
		if err := parse(fs, rest, data); err != nil {
			return err
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: "agency-list"})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tLEVEL\tACTIVE\tPARENT\tNAME")
		for _, a := range resp.Agencies {
			fmt.Fprintf(tw, "%s\t%s\t%t\t%s\t%s\n", a.Code, a.Level, a.Active, a.ParentCode, a.Name)
		}
		return tw.Flush()
	case "agency activate", "agency deactivate":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		_, err := admin(*data, hub.AdminRequest{Cmd: "agency-active", Code: *code, Active: cmd == "agency activate"})
		return err
	case "key issue", "portal key issue":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		c := "key-issue"
		if cmd == "portal key issue" {
			c = "portal-key-issue"
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: c, Code: *code})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "new key for %s (shown once; older keys stay valid until revoked):\n", *code)
		fmt.Fprintln(stdout, resp.Key)
		return nil
	case "key revoke", "portal key revoke":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		c := "key-revoke"
		if cmd == "portal key revoke" {
			c = "portal-key-revoke"
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: c, Code: *code})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d key(s) of %s revoked\n", resp.Revoked, *code)
		return nil
	case "portal add":
		name := fs.String("name", "", "portal name, e.g. \"Cổng dịch vụ công tỉnh Thanh Hóa\"")
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: "portal-add", Code: *code, Name: *name})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "portal %s added; its key (shown once, keep it secret):\n", *code)
		fmt.Fprintln(stdout, resp.Key)
		return nil
	case "portal list":
		if err := parse(fs, rest, data); err != nil {
			return err
		}
		resp, err := admin(*data, hub.AdminRequest{Cmd: "portal-list"})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tNAME")
		for _, p := range resp.Portals {
			fmt.Fprintf(tw, "%s\t%s\n", p.Code, p.Name)
		}
		return tw.Flush()
	case "release publish", "release list", "release withdraw":
		return releaseCommand(cmd, fs, rest, data, stdout)
	case "service":
		return serviceCommand(rest, stdout, stderr)
	case "digests": // the hub administrator's view of an agency's daily digests (hub/digests.go)
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			for from := ""; ; {
				page, err := h.Digests(*code, from, "", 0)
				if err != nil {
					return err
				}
				enc := json.NewEncoder(stdout)
				for _, d := range page.Items {
					if err := enc.Encode(d); err != nil {
						return err
					}
				}
				if from = page.Next; from == "" {
					return nil
				}
			}
		})
	case "openapi":
		_, err := stdout.Write(api.OpenAPIYAML)
		return err
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// parse parses flags and checks that the required ones are set.
func parse(fs *flag.FlagSet, args []string, required ...*string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for _, p := range required {
		if *p == "" {
			return errors.New("missing a required flag (--data, --code …); see -h")
		}
	}
	return nil
}

// admin runs an administration command: through the serving hub's socket when
// one answers, otherwise on the data folder directly.
func admin(dir string, req hub.AdminRequest) (hub.AdminResponse, error) {
	resp, err := hub.AdminCall(dir, req)
	if errors.Is(err, hub.ErrNoHubServing) {
		logger := logrus.New()
		logger.SetOutput(io.Discard)
		h, oerr := hub.OpenWith(dir, hub.Options{Logger: logger})
		if oerr != nil {
			return resp, oerr
		}
		defer h.Close()
		resp, err = h.Admin(req), nil
	}
	if err == nil && resp.Error != "" {
		err = errors.New(resp.Error)
	}
	return resp, err
}

// serveContext ends serve: SIGINT or SIGTERM, or the Windows service manager's
// stop (service_windows.go replaces it).
var serveContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func serve(dir, addr, cert, key string, opts hub.Options, so hub.ServerOptions, grace time.Duration) error {
	logger := opts.Logger
	h, err := hub.OpenWith(dir, opts)
	if err != nil {
		return err
	}
	defer h.Close()

	ctx, stop := serveContext()
	defer stop()
	go h.RunMaintenance(ctx, time.Hour)
	if err := h.ServeAdmin(ctx); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln = hub.LimitListener(ln, so.MaxConns)
	srv := h.Server(so)
	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	logger.WithFields(logrus.Fields{"addr": ln.Addr().String(), "scheme": scheme, "data": dir}).Info("motcua-hub listening")
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- srv.ServeTLS(ln, cert, key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	start := time.Now()
	err = hub.Shutdown(srv, grace)
	logger.WithField("took_ms", time.Since(start).Milliseconds()).Info("stopped")
	return err
}
