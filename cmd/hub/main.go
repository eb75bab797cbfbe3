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
	"net/http"
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
                        [--rate 20 --burst 40] [--log-json] [--log-level info]
  motcua-hub agency add --data DIR --code CODE --name NAME [--parent CODE] [--level LEVEL]
  motcua-hub agency list --data DIR
  motcua-hub agency activate   --data DIR --code CODE
  motcua-hub agency deactivate --data DIR --code CODE
  motcua-hub key issue  --data DIR --code CODE
  motcua-hub key revoke --data DIR --code CODE
  motcua-hub digests    --data DIR --code CODE   (the agency's daily digests, one JSON a line)
  motcua-hub openapi                      (prints the OpenAPI document)

Commands:
  serve           Serve the API (OpenAPI 3.0.3, GET /v1/health without a key) until SIGINT or
                  SIGTERM, then shut down gracefully (waits up to 35 s for requests in flight,
                  long-polls included). HTTPS when --cert and --key are given; plain HTTP is
                  meant for loopback only. Requests are logged to stderr. --rate/--burst set
                  the token bucket per key (--rate 0: no limit); over it → 429 + Retry-After.
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

The administration commands open the data folder themselves: bbolt allows one process per
folder, so stop the server first (they give up after 2 s with a message otherwise).

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
	if (cmd == "agency" || cmd == "key") && len(rest) > 0 {
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
		if err := parse(fs, rest, data); err != nil {
			return err
		}
		if (*cert == "") != (*key == "") {
			return errors.New("--cert and --key go together")
		}
		opts := hub.Options{RateLimit: *rate, RateBurst: *burst}
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
		return serve(*data, *addr, *cert, *key, opts)
	case "agency add":
		name := fs.String("name", "", "agency name, e.g. \"UBND xã Tân Lập\"")
		parent := fs.String("parent", "", "governing agency code")
		level := fs.String("level", string(api.LevelOther), "province, department, commune or other")
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			k, err := h.AddAgencyLevel(*code, *name, *parent, api.AgencyLevel(*level))
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "agency %s added; its key (shown once, keep it secret):\n", *code)
			fmt.Fprintln(stdout, k)
			return nil
		})
	case "agency list":
		if err := parse(fs, rest, data); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			list, err := h.Agencies()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tLEVEL\tACTIVE\tPARENT\tNAME")
			for _, a := range list {
				fmt.Fprintf(tw, "%s\t%s\t%t\t%s\t%s\n", a.Code, a.Level, a.Active, a.ParentCode, a.Name)
			}
			return tw.Flush()
		})
	case "agency activate", "agency deactivate":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error { return h.SetAgencyActive(*code, cmd == "agency activate") })
	case "key issue":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			k, err := h.IssueKey(*code)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "new key for %s (shown once; older keys stay valid until revoked):\n", *code)
			fmt.Fprintln(stdout, k)
			return nil
		})
	case "key revoke":
		if err := parse(fs, rest, data, code); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			n, err := h.RevokeKey(*code)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d key(s) of %s revoked\n", n, *code)
			return nil
		})
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

func withHub(dir string, fn func(h *hub.Hub) error) error {
	logger := logrus.New()
	logger.SetOutput(io.Discard)
	h, err := hub.OpenWith(dir, hub.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer h.Close()
	return fn(h)
}

func serve(dir, addr, cert, key string, opts hub.Options) error {
	logger := opts.Logger
	h, err := hub.OpenWith(dir, opts)
	if err != nil {
		return err
	}
	defer h.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go h.RunMaintenance(ctx, time.Hour)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	srv.RegisterOnShutdown(h.StopLongPolls) // waiting inboxes answer now instead of holding the shutdown
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
	sctx, cancel := context.WithTimeout(context.Background(), 35*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	return nil
}
