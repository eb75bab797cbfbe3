package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/api"
)

// TestCrashKeepsAcknowledgedSubmissions SIGKILLs the hub while the portal
// submits online dossiers (the portal registered while the hub serves); after
// a restart every submission that got a 201 is there with its event, a retry
// with the same key replays it, and the office can decide it.
func TestCrashKeepsAcknowledgedSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildHub(t)
	dir := t.TempDir()
	office := addAgency(t, bin, dir, "000.00.01.H22")
	p := startHub(t, bin, dir)
	portal := hubCmd(t, bin, "portal", "add", "--data", dir, "--code", "DVC-H56", "--name", "Cổng dịch vụ công")

	req := func(i int) api.SubmissionRequest {
		return api.SubmissionRequest{ToAgency: "000.00.01.H22", PortalRef: fmt.Sprintf("REF-%05d", i), SubmittedAt: time.Date(2026, 1, 14, 21, 0, 0, 0, time.FixedZone("", 7*3600)),
			Dossier: api.SubmissionDossier{ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Channel: 2, StatusCode: 1,
				Applicant: api.Applicant{Kind: 1, FullName: "Lê Thị Mai"}}}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	acked := map[int]string{}
	enough := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * 10000; ; i++ {
				st, body, err := call(client, p.addr, portal, "POST", "/v1/submissions", req(i), map[string]string{api.HeaderIdempotencyKey: fmt.Sprint("s", i)})
				if err != nil {
					return
				}
				if st != http.StatusCreated {
					t.Errorf("submit: %d %s", st, body)
					return
				}
				var s api.Submission
				json.Unmarshal(body, &s)
				mu.Lock()
				acked[i] = s.ID
				if len(acked) == 30 {
					close(enough)
				}
				mu.Unlock()
			}
		}()
	}
	<-enough
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	wg.Wait()

	p = startHub(t, bin, dir)
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d submissions acknowledged before the kill", len(acked))
	st, body, err := call(client, p.addr, office, "GET", "/v1/inbox?limit=500", nil, nil)
	if err != nil || st != http.StatusOK {
		t.Fatalf("inbox: %d %v", st, err)
	}
	var page api.InboxPage
	json.Unmarshal(body, &page)
	events := map[string]bool{}
	for _, ev := range page.Events {
		events[ev.SubmissionID] = true
	}
	for i, id := range acked {
		if !events[id] {
			t.Errorf("submission %s has no event after the crash", id)
		}
		st, body, _ := call(client, p.addr, portal, "POST", "/v1/submissions", req(i), map[string]string{api.HeaderIdempotencyKey: fmt.Sprint("s", i)})
		if st != http.StatusCreated || !strings.Contains(string(body), id) {
			t.Errorf("retry of %s after the crash: %d %s", id, st, body)
		}
	}
	for _, id := range acked {
		dec := map[string]any{"decision": "refused", "reason": "Thử nghiệm", "actor": map[string]string{"name": "A"}}
		if st, body, _ := call(client, p.addr, office, "POST", "/v1/submissions/"+id+"/decision", dec, nil); st != http.StatusOK {
			t.Fatalf("decide %s: %d %s", id, st, body)
		}
		break
	}
}
