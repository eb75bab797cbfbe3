package ui

import (
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/client"
	"motcua/storage"
)

// TestIncomingTransferFromTheHubShowsItself: the department transfers a
// dossier to the commune through the real hub on 127.0.0.1; the commune's
// client (built over the service's store, as main builds it) stores it in
// its poller's own transaction, and the commune's open incoming list, its
// navigation count and its home tile show it without the official
// navigating. The time from the department's use case to the open list is
// logged.
func TestIncomingTransferFromTheHubShowsItself(t *testing.T) {
	h, srv, quiet := startHub(t)
	const commune, dept = "000.00.31.H56", "000.00.01.H56"
	communeKey, err := h.AddAgency(commune, "UBND xã Tân Lập", "")
	if err != nil {
		t.Fatal(err)
	}
	deptKey, err := h.AddAgency(dept, "Sở Tư pháp tỉnh Thanh Hóa", "")
	if err != nil {
		t.Fatal(err)
	}
	fast := client.Config{URL: srv.URL, MinBackoff: 10 * time.Millisecond, Idle: 20 * time.Millisecond, PollWait: time.Second, Logger: quiet}

	// The commune: the window under test, its client as main builds it.
	e := newEnv(t)
	admin := e.setUp()
	cfg := fast
	cfg.Key = communeKey
	cl, err := client.New(e.svc, e.svc.Store(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.setHub(cl)
	cl.OnChange(func() {}) // no drawing from the client's goroutine (see TestTransferScreenThroughARealHub)
	e.signIn(admin)
	s := e.ui.shell
	home := s.screens["home"].(*homeScreen)
	s.go_("transfers")
	ts := s.screens["transfers"].(*transfersScreen)
	if len(ts.rows) != 0 || s.buttons["transfers"].Text != "Liên thông" {
		t.Fatalf("before: %d rows, navigation %q", len(ts.rows), s.buttons["transfers"].Text)
	}
	ctx := t.Context()
	cl.Start(ctx)
	t.Cleanup(cl.Stop)

	// The department: its own database and client.
	ddb, err := storage.Open(filepath.Join(t.TempDir(), "so.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ddb.Close() })
	dsvc := app.NewService(ddb, &app.FixedClock{T: testNow})
	dadmin, err := dsvc.Setup(app.SetupInput{
		Agency: app.Agency{Code: dept, Name: "Sở Tư pháp tỉnh Thanh Hóa", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa", Level: app.LevelDepartment},
		Admin:  app.UserInput{Username: "admin", FullName: "Quản trị Sở", Password: "matkhau123", Roles: app.AllRoles()}})
	if err != nil {
		t.Fatal(err)
	}
	dcfg := fast
	dcfg.Key = deptKey
	dcl, err := client.New(dsvc, dsvc.Store(), dcfg)
	if err != nil {
		t.Fatal(err)
	}
	dcl.Start(ctx)
	t.Cleanup(dcl.Stop)
	d := e.receivedAt(dsvc, dadmin, "Lê Thị Thu")
	if _, err := dsvc.Handover(dadmin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	if _, err := dsvc.Transfer(dadmin, d.Code, app.TransferInput{ToAgency: commune, Purpose: app.PurposeProcess, Note: "Chuyển xã xác minh nơi cư trú"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(20 * time.Second) // real HTTP on a busy machine; the time taken is logged
	for len(ts.rows) != 1 {
		select {
		case b := <-e.live:
			e.ui.applyChanges(b)
		case <-deadline:
			t.Fatal("the transfer never showed in the open incoming list")
		}
	}
	t.Logf("the department's transfer in the commune's open incoming list after %v (outbox send, hub, long poll, 200 ms gathering)", time.Since(start))
	if r := ts.rows[0]; r.Dossier.Code != d.Code || r.FromAgency != dept || r.State != app.TransferPending {
		t.Errorf("row: %s from %s, %s", r.Dossier.Code, r.FromAgency, r.State)
	}
	if s.buttons["transfers"].Text != "Liên thông (1)" || s.viewMenu.Label != "Liên thông (1)" {
		t.Errorf("navigation %q, menu %q", s.buttons["transfers"].Text, s.viewMenu.Label)
	}
	s.go_("home")
	if home.waiting == nil || home.waiting.Text != "1" {
		t.Errorf("home tile of waiting transfers: %v", home.waiting)
	}
}
