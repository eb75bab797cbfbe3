package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/sirupsen/logrus"

	"motcua/hub"
	"motcua/release"
)

// releaseCommand runs motcua-hub release publish|list|withdraw.
func releaseCommand(cmd string, fs *flag.FlagSet, args []string, data *string, stdout io.Writer) error {
	version := fs.String("version", "", "version, MAJOR.MINOR.PATCH")
	switch cmd {
	case "release publish":
		msi := fs.String("msi", "", "the MSI")
		sigFile := fs.String("sig", "", "its signature (motcua-release sign)")
		notes := fs.String("notes", "", "Vietnamese release notes")
		pub := fs.String("pub", "", "public key file to check the signature with before publishing")
		if err := parse(fs, args, data, msi, version, sigFile); err != nil {
			return err
		}
		sig, err := os.ReadFile(*sigFile)
		if err != nil {
			return err
		}
		if *pub != "" {
			if err := checkSignature(*pub, *msi, *version, string(sig)); err != nil {
				return err
			}
		}
		f, err := os.Open(*msi)
		if err != nil {
			return err
		}
		defer f.Close()
		return withHub(*data, func(h *hub.Hub) error {
			rel, err := h.PublishRelease(*version, *notes, strings.TrimSpace(string(sig)), f)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "published %s: %d bytes, sha256 %s\n", rel.Version, rel.Size, rel.SHA256)
			return nil
		})
	case "release list":
		if err := parse(fs, args, data); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			list, err := h.Releases()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tPUBLISHED\tSIZE\tSHA256\tNOTES")
			for _, r := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", r.Version, r.PublishedAt.Format("02/01/2006 15:04"), r.Size, r.SHA256[:16]+"…", firstLine(r.Notes))
			}
			return tw.Flush()
		})
	default: // release withdraw
		if err := parse(fs, args, data, version); err != nil {
			return err
		}
		return withHub(*data, func(h *hub.Hub) error {
			if err := h.WithdrawRelease(*version); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s withdrawn\n", *version)
			return nil
		})
	}
}

func checkSignature(pubFile, msi, version, sig string) error {
	text, err := os.ReadFile(pubFile)
	if err != nil {
		return err
	}
	keys, err := release.ParsePublicKeys(text)
	if err != nil {
		return err
	}
	b, err := release.DecodeSignature(sig)
	if err != nil {
		return err
	}
	sum, _, err := release.HashFile(msi)
	if err != nil {
		return err
	}
	if err := release.Verify(keys, version, sum, b); err != nil {
		return errors.New("the signature does not verify with " + pubFile + ": wrong file, version or key; nothing published")
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if r := []rune(line); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return line
}

// withHub opens the data folder for a release command. Unlike the agency and
// key commands (hub.AdminCall), releases are not yet carried over the admin
// socket: with a hub serving, OpenWith reports the folder as in use, so the
// administrator publishes between two runs of serve.
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
