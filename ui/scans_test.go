package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// Scans at the counter (issue 13.4): each is attached on the line of the
// paper it copies, removable before saving, saved with the dossier, shown on
// the detail screen with its name and size, opened with the OS viewer with
// the very bytes scanned, and a scan altered on disk says so instead.
func TestReceiveScansOpenAndTamper(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	test.Type(r.filter, "chung thuc ban sao")
	r.filter.OnSubmitted(r.filter.Text)
	if r.proc == nil || len(r.docs) < 2 {
		t.Fatalf("procedure %v, %d documents", r.proc, len(r.docs))
	}
	test.Type(r.name.entry, "Trần Văn Bình")
	test.Type(r.idNumber.entry, "038090001234")
	test.Type(r.addr.entry, "Thôn Đông, xã Tân Lập")
	r.paid.SetChecked(true)
	test.Type(r.receiptNo, "BL-0002")

	first, second := r.docs[0].spec.Name, r.docs[1].spec.Name
	pdf := []byte("%PDF-1.4\n% bản chính đã quét\n%%EOF\n")
	png := append([]byte("\x89PNG\r\n\x1a\n"), "bản sao"...)
	jpg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, "chọn nhầm"...)
	for _, c := range []struct {
		doc, name string
		data      []byte
	}{{first, "scan-0001.pdf", pdf}, {second, "scan-0002.jpg", jpg}} {
		if err := r.scans.add(c.doc, c.name, bytes.NewReader(c.data)); err != nil {
			t.Fatal(err)
		}
	}
	cell := r.scans.rows[second]
	if !strings.Contains(cell.label.Text, "scan-0002.jpg") || cell.remove.Disabled() {
		t.Fatalf("the second paper's line: %q", cell.label.Text)
	}
	// The wrong file: removed, then the right one.
	test.Tap(cell.remove)
	if strings.Contains(cell.label.Text, "scan-0002") || !cell.remove.Disabled() {
		t.Fatalf("after removing: %q", cell.label.Text)
	}
	if err := r.scans.add(second, "scan-0003.png", bytes.NewReader(png)); err != nil {
		t.Fatal(err)
	}
	shot(t, e, "receive-scans.png")
	test.Tap(r.save)
	if r.errLine.Visible() {
		t.Fatalf("save refused: %q", r.errLine.Text)
	}
	d, err := e.svc.Dossier(r.last.Code)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Documents); n != len(r.last.Documents) {
		t.Fatalf("documents %d", n)
	}
	byName := map[string]app.SubmittedDocument{}
	for _, doc := range d.Documents {
		byName[doc.Name] = doc
	}
	if a, b := byName[first], byName[second]; a.FileName != "scan-0001.pdf" || a.Size != int64(len(pdf)) ||
		b.FileName != "scan-0003.png" || b.MediaType != "image/png" {
		t.Fatalf("stored lines %+v / %+v", a, b)
	}

	// The detail screen: name and size, and "Mở" hands the very bytes to
	// the OS viewer.
	var opened []string
	e.ui.open = func(p string) error { opened = append(opened, p); return nil }
	e.ui.shell.openDossier(d.Code)
	det := e.ui.shell.detail
	text := renderedText(det.docs)
	for _, want := range []string{"scan-0001.pdf (" + app.FormatSize(int64(len(pdf))) + ")", "scan-0003.png (" + app.FormatSize(int64(len(png))) + ")"} {
		if !strings.Contains(text, want) {
			t.Errorf("detail documents lack %q:\n%s", want, text)
		}
	}
	if os.Getenv("MOTCUA_SHOTS") != "" {
		for ov := e.ui.win.Canvas().Overlays(); ov.Top() != nil; {
			ov.Remove(ov.Top()) // the receipt offer of the save
		}
		e.ui.win.Resize(fyne.NewSize(1280, 1000))
		writePNG(t, filepath.Join(os.Getenv("MOTCUA_SHOTS"), "detail-scans.png"), e.ui.win.Canvas().Capture())
	}
	openButtons := buttonsLabelled(det.docs, "Mở")
	if len(openButtons) != 2 {
		t.Fatalf("%d open buttons", len(openButtons))
	}
	test.Tap(openButtons[0])
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}
	if b, err := os.ReadFile(opened[0]); err != nil || !bytes.Equal(b, pdf) {
		t.Errorf("the viewer got %q (%v)", b, err)
	}
	if !strings.HasSuffix(opened[0], ".pdf") {
		t.Errorf("opened %s", opened[0])
	}

	// Altered on disk: nothing is opened, the official is told.
	if err := e.db.Tamper().EditScan(byName[first].SHA256, func(c []byte) { c[3] ^= 1 }); err != nil {
		t.Fatal(err)
	}
	test.Tap(openButtons[0])
	if len(opened) != 1 {
		t.Errorf("a tampered scan was opened: %v", opened)
	}
	if msg := renderedText(e.ui.win.Canvas().Overlays().Top()); !strings.Contains(msg, "SHA-256") {
		t.Errorf("the official is not told the scan is damaged: %q", msg)
	}
}

// buttonsLabelled finds the buttons with text label drawn under root.
func buttonsLabelled(root fyne.CanvasObject, label string) []*widget.Button {
	var out []*widget.Button
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			out = append(out, b)
		}
	}
	return out
}

// Scans at a supplement (on the items the citizen brings) and with the
// result (the signed result, which then opens from the detail screen).
func TestSupplementAndResultScans(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	d := e.received(admin)
	must := func(_ *app.Dossier, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}))
	must(e.svc.RequestSupplement(admin, d.Code, app.SupplementInput{Items: []string{"Trích lục ghi chú ly hôn"}, Reason: "Thiếu"}))
	s := e.ui.shell
	s.openDossier(d.Code)
	test.Tap(s.detail.buttons[app.ActReceiveSupplement])
	png := append([]byte("\x89PNG\r\n\x1a\n"), "trích lục"...)
	if err := e.ui.lastScans.add("Trích lục ghi chú ly hôn", "trich-luc.png", bytes.NewReader(png)); err != nil {
		t.Fatal(err)
	}
	f := e.ui.lastForm
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("supplement refused: %q", f.errLine.Text)
	}
	got, _ := e.svc.Dossier(d.Code)
	if got.State != app.StateProcessing || len(got.Documents) != 2 || got.Documents[1].Name != "Trích lục ghi chú ly hôn" ||
		got.Documents[1].FileName != "trich-luc.png" || got.Documents[1].Size != int64(len(png)) {
		t.Fatalf("after the supplement: %s %+v", got.State, got.Documents)
	}

	must(e.svc.SubmitForApproval(admin, d.Code, "Đủ"))
	must(e.svc.Approve(admin, d.Code, ""))
	s.openDossier(d.Code)
	test.Tap(s.detail.buttons[app.ActRecordResult])
	f = e.ui.lastForm
	f.fields[1].entry.SetText("12/XN")
	f.fields[3].entry.SetText("Phạm Quốc Việt")
	pdf := []byte("%PDF-1.4 giấy xác nhận đã ký\n%%EOF\n")
	if err := e.ui.lastScans.add("result", "ket-qua.pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("result refused: %q", f.errLine.Text)
	}
	got, _ = e.svc.Dossier(d.Code)
	if got.Result == nil || len(got.Result.Files) != 1 || got.Result.Files[0].Name != got.Result.Kind+" số 12/XN" ||
		got.Result.Files[0].MediaType != "application/pdf" {
		t.Fatalf("result %+v", got.Result)
	}
	for ov := e.ui.win.Canvas().Overlays(); ov.Top() != nil; {
		ov.Remove(ov.Top()) // the print offer
	}
	var opened []string
	e.ui.open = func(p string) error { opened = append(opened, p); return nil }
	s.openDossier(d.Code)
	if text := renderedText(s.detail.docs); !strings.Contains(text, "Tệp kết quả") || !strings.Contains(text, "ket-qua.pdf") {
		t.Errorf("detail documents:\n%s", text)
	}
	bs := buttonsLabelled(s.detail.docs, "Mở")
	if len(bs) != 2 {
		t.Fatalf("%d open buttons, want the supplement's scan and the result", len(bs))
	}
	test.Tap(bs[1])
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}
	if b, err := os.ReadFile(opened[0]); err != nil || !bytes.Equal(b, pdf) {
		t.Errorf("the viewer got %q (%v)", b, err)
	}
}
