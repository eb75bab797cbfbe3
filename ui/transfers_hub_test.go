package ui

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
	"motcua/client"
	"motcua/storage"
)

// TestTransferScreenThroughARealHub drives "Chuyển liên thông" in the
// commune's window against the real hub on 127.0.0.1, with the real client
// on both sides: the recipient is picked from the hub's directory, the
// scans are uploaded, the outbox drains, and the department's own client
// receives the dossier with its scans.
func TestTransferScreenThroughARealHub(t *testing.T) {
	h, srv, quiet := startHub(t)
	const dept = "000.00.01.H56"
	communeKey, err := h.AddAgency("000.00.31.H56", "UBND xã Tân Lập", "")
	if err != nil {
		t.Fatal(err)
	}
	deptKey, err := h.AddAgency(dept, "Sở Tư pháp tỉnh Thanh Hóa", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	fast := client.Config{URL: srv.URL, MinBackoff: 10 * time.Millisecond, Idle: 20 * time.Millisecond, PollWait: time.Second, Logger: quiet}

	// The commune: the window under test.
	e := newEnv(t)
	admin := e.setUp()
	cfg := fast
	cfg.Key = communeKey
	cl, err := client.New(e.svc, e.db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cl.Start(ctx)
	t.Cleanup(cl.Stop)
	e.setHub(cl)
	// Fyne's test driver runs fyne.Do on the calling goroutine: the client's
	// notices would draw from its own goroutine while the test draws. The
	// test calls hubChanged itself where the app would be told.
	cl.OnChange(func() {})

	// The department: its own database and client.
	ddb, err := storage.Open(filepath.Join(t.TempDir(), "so.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ddb.Close() })
	dsvc := app.NewService(ddb, &app.FixedClock{T: testNow})
	if _, err := dsvc.Setup(app.SetupInput{
		Agency: app.Agency{Code: dept, Name: "Sở Tư pháp tỉnh Thanh Hóa", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa", Level: app.LevelDepartment},
		Admin:  app.UserInput{Username: "admin", FullName: "Quản trị Sở", Password: "matkhau123", Roles: app.AllRoles()}}); err != nil {
		t.Fatal(err)
	}
	dcfg := fast
	dcfg.Key = deptKey
	dcl, err := client.New(dsvc, ddb, dcfg)
	if err != nil {
		t.Fatal(err)
	}
	dcl.Start(ctx)
	t.Cleanup(dcl.Stop)

	d := e.received(admin)
	if _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(admin)
	s := e.ui.shell
	s.openDossier(d.Code)
	b := s.detail.buttons[app.ActTransfer]
	if b == nil {
		t.Fatal("no Chuyển liên thông button")
	}
	test.Tap(b)
	f := e.ui.lastForm
	pick := f.fields[0].input.(*widget.Select)
	if len(pick.Options) != 1 || pick.Options[0] != dept+" — Sở Tư pháp tỉnh Thanh Hóa" {
		t.Fatalf("the hub's directory, own office left out: %q", pick.Options)
	}
	pick.SetSelectedIndex(0)
	// The paper's scan, as chosen in the file dialog: tied to its line,
	// removable before saving, replaced by another choice.
	const paper = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
	jpg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, "giấy chứng sinh"...)
	pdf := []byte("%PDF-1.4 tờ khai\n%%EOF\n")
	sp := e.ui.lastScans
	if err := sp.add(paper, "giay-chung-sinh.jpg", bytes.NewReader(jpg)); err != nil {
		t.Fatal(err)
	}
	if txt := sp.rows[paper].label.Text; !strings.Contains(txt, "giay-chung-sinh.jpg") || sp.rows[paper].remove.Disabled() {
		t.Errorf("scan cell after adding: %q", txt)
	}
	test.Tap(sp.rows[paper].remove)
	if txt := sp.rows[paper].label.Text; txt != "" || len(sp.files) != 0 {
		t.Errorf("scan cell after removing: %q, %d files", txt, len(sp.files))
	}
	if err := sp.add(paper, "to-khai.exe", bytes.NewReader([]byte("MZ\x90"))); err == nil {
		t.Error("a program accepted as a scan")
	}
	if err := sp.add(paper, "to-khai.pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	if txt := sp.rows[paper].label.Text; !strings.Contains(txt, "to-khai.pdf") || !strings.Contains(txt, app.FormatSize(int64(len(pdf)))) {
		t.Errorf("scan cell: %q", txt)
	}
	scans := map[string][]byte{paper: pdf}
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("transfer refused: %q", f.errLine.Text)
	}

	defer func() {
		if t.Failed() {
			var items []app.OutboxItem
			_ = e.db.View(func(tx app.Tx) (err error) { items, err = tx.OutboxItems(0); return })
			for _, it := range items {
				t.Logf("outbox item %s parked=%v problem=%q last=%q", it.Kind, it.Parked, it.Problem, it.LastError)
			}
		}
	}()
	waitForLong(t, "the outbox to drain and the hub to hold the transfer", func() bool {
		st := cl.Status()
		got, _ := e.svc.Dossier(d.Code)
		return st.Pending == 0 && st.Parked == 0 && len(got.Transfers) == 1 && got.Transfers[0].State == app.TransferPending
	})
	waitForLong(t, "the department to receive it", func() bool {
		in, _ := dsvc.Incoming(true)
		return len(in) == 1 && in[0].Dossier.Code == d.Code
	})
	// The scan arrived whole, on its paper's line (no extra line), in the
	// department's store.
	in, _ := dsvc.Incoming(true)
	if len(in[0].Dossier.Documents) != 1 {
		t.Fatalf("documents at the department: %+v", in[0].Dossier.Documents)
	}
	for _, doc := range in[0].Dossier.Documents {
		want := scans[doc.Name]
		if doc.SHA256 == "" || doc.Size != int64(len(want)) || doc.MediaType != "application/pdf" {
			t.Fatalf("%s arrived as %+v", doc.Name, doc)
		}
		b, err := dsvc.Scan(doc.SHA256)
		if err != nil {
			t.Fatalf("%s not downloaded: %v", doc.Name, err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s arrived altered", doc.Name)
		}
	}
	s.hubChanged()
	if got, _ := e.svc.Dossier(d.Code); got.State != app.StateTransferred || got.Status != app.StatusProcessing {
		t.Errorf("commune dossier after the transfer: %s (%d)", got.State, got.Status)
	}
}

// waitForLong is waitFor with room for real HTTP round trips on a busy machine.
func waitForLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
