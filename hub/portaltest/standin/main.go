// Command standin is the stand-in portal of scripts/online-demo.sh: it
// uploads scans and submits an online dossier with a portal key, or waits for
// the office's decision. Not a product: the real portal is outside Một Cửa.
//
//	standin submit --hub URL --key KEY --to AGENCY --ref REF [--name NAME] SCAN...
//	standin wait   --hub URL --key KEY --id SUBMISSION_ID [--timeout 60s]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"motcua/api"
	"motcua/hub/portaltest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: standin submit|wait …")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	hubURL := fs.String("hub", "http://127.0.0.1:8088", "hub address")
	key := fs.String("key", "", "portal key")
	to := fs.String("to", "", "agency code")
	ref := fs.String("ref", "", "portal reference")
	name := fs.String("name", "Lê Thị Mai", "applicant")
	id := fs.String("id", "", "submission id")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait")
	fs.Parse(os.Args[2:])
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	p := portaltest.New(*hubURL, *key)
	var out any
	var err error
	switch os.Args[1] {
	case "submit":
		var docs []api.Document
		for _, f := range fs.Args() {
			d, err := p.Scan(ctx, filepath.Base(f), f)
			if err != nil {
				fail(err)
			}
			docs = append(docs, d)
		}
		out, err = p.SubmitRetrying(ctx, portaltest.NewIdempotencyKey(), api.SubmissionRequest{
			ToAgency: *to, PortalRef: *ref, SubmittedAt: time.Now().Round(time.Second),
			Dossier: api.SubmissionDossier{ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh", FieldName: "Hộ tịch",
				Channel: 2, StatusCode: api.StatusSubmitted, Applicant: api.Applicant{Kind: 1, FullName: *name},
				Summary: "Đăng ký khai sinh cho con", Documents: docs, FormData: map[string]any{"child_name": "Lê Minh Khang"}},
		})
	case "wait":
		out, err = p.WaitDecision(ctx, *id)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "standin:", err)
	os.Exit(1)
}
