package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/app"
)

// The incoming list names the sending agency and shows its note (issue
// 13.5); the detail screen follows every leg of a group procedure and offers
// "Chuyển tiếp liên thông" once a leg has come back with its result (13.3).
func TestIncomingNamesAndGroupLegsOnScreen(t *testing.T) {
	e := newEnv(t)
	newFakeHub(e)
	admin := e.setUp()
	e.signIn(admin)
	s := e.ui.shell
	const police, insurance = "000.00.21.H56", "000.00.02.H56"

	// An incoming transfer, as the client files it: the sender's name from
	// the hub's directory and its note from the wire dossier.
	other := e.received(admin)
	other.Code, other.AgencyCode = "000.00.32.H56-250429-0003", "000.00.32.H56"
	// Its scan, downloaded by the client before the event is applied.
	scan, err := app.NewScanFile("to-khai.pdf", []byte("%PDF-1.4 tờ khai của xã Đông Tiến\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.Update(func(tx app.Tx) error { return tx.PutScan(scan.SHA256(), scan.Data) }); err != nil {
		t.Fatal(err)
	}
	other.Documents[0].SHA256, other.Documents[0].Size = scan.SHA256(), int64(len(scan.Data))
	other.Documents[0].MediaType, other.Documents[0].FileName = "application/pdf", "to-khai.pdf"
	snap := &app.TransferSnapshot{ID: "tr-in", GroupID: other.Code, Purpose: app.PurposeProcess, FromAgency: "000.00.32.H56",
		ToAgency: "000.00.31.H56", State: app.TransferPending, Version: 1, Dossier: *other, Note: "Hồ sơ ưu tiên: trẻ sơ sinh"}
	ev := app.TransferEvent{ID: "ev-in", Type: app.EventReceived, TransferID: "tr-in", Version: 1, DossierCode: other.Code,
		FromAgency: "000.00.32.H56", ToAgency: "000.00.31.H56", Transfer: snap, OccurredAt: testNow, FromName: "UBND xã Đông Tiến"}
	if err := e.db.Update(func(tx app.Tx) error { return e.svc.ApplyEvent(tx, ev) }); err != nil {
		t.Fatal(err)
	}
	s.go_("transfers")
	ts := s.screens["transfers"].(*transfersScreen)
	ts.show()
	text := renderedText(ts.list)
	if !strings.Contains(text, "UBND xã Đông Tiến · Đỗ Thị Mai") || !strings.Contains(text, "Ghi chú: Hồ sơ ưu tiên: trẻ sơ sinh") {
		t.Errorf("incoming list:\n%s", text)
	}
	if strings.Contains(text, "000.00.32.H56 ·") {
		t.Errorf("the list shows the sender's code, not its name:\n%s", text)
	}
	ts.list.Select(0)
	if !strings.Contains(ts.detail.Text, "Cơ quan gửi: UBND xã Đông Tiến (000.00.32.H56)") {
		t.Errorf("incoming detail: %q", ts.detail.Text)
	}
	// The recipient opens the scan before taking the dossier in.
	var opened []string
	e.ui.open = func(p string) error { opened = append(opened, p); return nil }
	open := buttonsLabelled(ts.files, "Mở")
	if len(open) != 1 {
		t.Fatalf("%d open buttons on the incoming transfer", len(open))
	}
	test.Tap(open[0])
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}
	if b, err := os.ReadFile(opened[0]); err != nil || string(b) != string(scan.Data) {
		t.Errorf("the viewer got %q (%v)", b, err)
	}
	shot(t, e, "incoming-list.png")

	// A group procedure: leg 1 to the police, completed with its result.
	d := e.received(admin)
	if _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Transfer(admin, d.Code, app.TransferInput{ToAgency: police, ToName: "Công an huyện Triệu Sơn"}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Dossier(d.Code)
	if err := e.db.Update(func(tx app.Tx) error { return e.svc.TransferSent(tx, d.Code, got.Transfers[0].ID, "tr-1", 1) }); err != nil {
		t.Fatal(err)
	}
	s.openDossier(d.Code)
	if _, ok := s.detail.buttons[app.ActTransfer]; ok {
		t.Error("a transfer is offered while one is live")
	}
	for i, ev := range []app.TransferEvent{
		{Type: app.EventAccepted, Ack: &app.TransferAck{Accepted: true, LocalCode: "000.00.21.H56-250429-0001", At: testNow}},
		{Type: app.EventStatusChanged, Status: &app.TransferStatus{Status: app.StatusResolved, Note: "Đã đăng ký thường trú",
			Actor: app.Actor{Name: "Lê Văn Cường", Title: "Cán bộ cư trú"}, OccurredAt: testNow,
			Results: []app.ResultFile{{Name: "Xác nhận cư trú", Kind: "Xác nhận thông tin về cư trú", Number: "45/XNCT"}}}},
	} {
		ev.ID, ev.TransferID, ev.Version, ev.DossierCode, ev.FromAgency, ev.ToAgency = "ev-"+string(rune('a'+i)), "tr-1", i+2, d.Code, "000.00.31.H56", police
		if err := e.db.Update(func(tx app.Tx) error { return e.svc.ApplyEvent(tx, ev) }); err != nil {
			t.Fatal(err)
		}
	}
	s.openDossier(d.Code)
	b := s.detail.buttons[app.ActTransfer]
	if b == nil || b.Text != "Chuyển tiếp liên thông" {
		t.Fatalf("no send-on button after the leg's result: %v", buttonActions(s.detail))
	}
	test.Tap(b)
	f := e.ui.lastForm
	if txt := renderedText(e.ui.win.Canvas().Overlays().Top()); !strings.Contains(txt, "Công an huyện Triệu Sơn (000.00.21.H56)") {
		t.Errorf("the dialog does not show the previous leg:\n%s", txt)
	}
	f.fields[1].entry.SetText(insurance)
	// A paper scanned now travels with the next leg.
	pdf := []byte("%PDF-1.4 tờ khai đã quét\n%%EOF\n")
	if err := e.ui.lastScans.add(d.Documents[0].Name, "to-khai.pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	shot(t, e, "send-on-dialog.png")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("send-on refused: %q", f.errLine.Text)
	}
	s.openDossier(d.Code)
	legs := renderedText(s.detail.legs)
	for _, want := range []string{"Các bước liên thông — nhóm " + d.Code, "1. Công an huyện Triệu Sơn (000.00.21.H56) — ",
		"đã hoàn thành · mã 9", "2. " + insurance + " — ", "chờ gửi"} {
		if !strings.Contains(legs, want) {
			t.Errorf("legs tab lacks %q:\n%s", want, legs)
		}
	}
	if sent, _ := e.svc.Dossier(d.Code); sent.Documents[0].FileName != "to-khai.pdf" || sent.Documents[0].Size != int64(len(pdf)) {
		t.Errorf("the scan chosen in the dialog: %+v", sent.Documents[0])
	}
	hist := renderedText(s.detail.history)
	if !strings.Contains(hist, "Lê Văn Cường, Cán bộ cư trú (Công an huyện Triệu Sơn)") {
		t.Errorf("history does not name the police's official:\n%s", hist)
	}
	s.detail.tabs.SelectIndex(2)
	shot(t, e, "detail-legs.png")
}

// shot writes the window as a PNG when MOTCUA_SHOTS names a folder.
func shot(t *testing.T, e *env, name string) {
	if dir := os.Getenv("MOTCUA_SHOTS"); dir != "" {
		e.ui.win.Resize(fyne.NewSize(1280, 720))
		writePNG(t, filepath.Join(dir, name), e.ui.win.Canvas().Capture())
	}
}
