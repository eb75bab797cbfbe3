package ui

import (
	"fyne.io/fyne/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// assertOffer checks that the topmost overlay is a visible dialog offering
// "In", and that tapping it hands a PDF to the OS; it closes the offer.
func assertOffer(t *testing.T, e *env, what string) string {
	t.Helper()
	ov := e.ui.win.Canvas().Overlays().Top()
	if ov == nil || !ov.Visible() {
		t.Fatalf("%s: no print offer on screen", what)
	}
	var printB *widget.Button
	for _, o := range test.LaidOutObjects(ov) {
		if b, ok := o.(*keyButton); ok && strings.HasPrefix(b.Text, "In") && b.Visible() {
			printB = &b.Button
			break
		}
	}
	if printB == nil {
		t.Fatalf("%s: the top dialog offers no \"In\" button:\n%s", what, renderedText(ov))
	}
	var opened string
	e.ui.open = func(p string) error { opened = p; return nil }
	test.Tap(printB)
	if opened == "" {
		t.Fatalf("%s: \"In\" wrote no file", what)
	}
	data, err := os.ReadFile(opened)
	if err != nil || !strings.HasPrefix(string(data), "%PDF") {
		t.Fatalf("%s: %s is not a PDF (%v)", what, opened, err)
	}
	closeOverlays(e)
	return opened
}

func TestPrintOfferStaysAfterEveryActionThatPrints(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	r := e.receiveScreen()
	fill := func() {
		test.Type(r.filter, "khai sinh")
		r.filter.OnSubmitted(r.filter.Text)
		test.Type(r.name.entry, "Phạm Thị Lan")
		test.Type(r.idNumber.entry, "038090001234")
	}

	// Refusal at the counter.
	fill()
	test.Tap(r.refuse)
	f := e.ui.lastForm
	test.Type(f.fields[0].entry, "Không thuộc thẩm quyền giải quyết của UBND xã")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("refusal refused: %q", f.errLine.Text)
	}
	assertOffer(t, e, "refusal")

	// Guidance at the counter.
	fill()
	test.Tap(r.guide)
	f = e.ui.lastForm
	f.fields[0].entry.SetText("Giấy chứng sinh")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("guidance refused: %q", f.errLine.Text)
	}
	assertOffer(t, e, "guidance")

	// A dossier's supplement request, apology, return and stop.
	d := e.received(admin)
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail
	act := func(a app.Action, set func(f *formDlg)) {
		t.Helper()
		b := s.buttons[a]
		if b == nil {
			t.Fatalf("no button for %s", a)
		}
		test.Tap(b)
		f := e.ui.lastForm
		if set != nil {
			set(f)
		}
		test.Tap(f.submit)
		if !f.done {
			t.Fatalf("%s refused: %q", a, f.errLine.Text)
		}
	}
	act(app.ActHandover, nil)
	act(app.ActRequestSupplement, func(f *formDlg) {
		f.fields[0].entry.SetText("Bản sao giấy khai sinh")
		f.fields[1].entry.SetText("Thiếu bản sao")
	})
	assertOffer(t, e, "supplement")
	act(app.ActReceiveSupplement, nil)
	act(app.ActDelay, func(f *formDlg) {
		f.fields[0].entry.SetText("Phải xác minh tại nơi cư trú")
		f.fields[1].entry.SetText("30/06/2025")
	})
	assertOffer(t, e, "apology")
	act(app.ActSubmitApproval, func(f *formDlg) { f.fields[0].entry.SetText("Đủ điều kiện") })
	act(app.ActApprove, nil)
	act(app.ActRecordResult, func(f *formDlg) {
		f.fields[1].entry.SetText("125/2025/XNTTHN")
		f.fields[3].entry.SetText("Phạm Quốc Việt")
	})
	act(app.ActReturn, nil)
	assertOffer(t, e, "return")

	d2 := e.received(admin)
	e.ui.shell.openDossier(d2.Code)
	s = e.ui.shell.detail
	act(app.ActHandover, nil)
	act(app.ActStop, func(f *formDlg) { f.fields[0].entry.SetText("Người nộp đề nghị dừng") })
	assertOffer(t, e, "stop")
}

func TestPrintSaysWhereTheFileIsAndNeverReusesAName(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	d := e.received(admin)
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail
	var opened []string
	e.ui.open = func(p string) error { opened = append(opened, p); return nil }
	b := findButton(t, s.prints, "In")
	test.Tap(b)
	test.Tap(b)
	if len(opened) != 2 || opened[0] == opened[1] {
		t.Fatalf("two prints opened %v: each print needs its own file", opened)
	}
	for _, p := range opened {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("printed file gone: %v", err)
		}
		if !strings.Contains(p, "giay-hen_") {
			t.Errorf("file name %q is not Vietnamese without diacritics", p)
		}
	}
	top := e.ui.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(renderedText(top), opened[1]) {
		t.Fatal("no dialog says where the printed file is")
	}
	// "Mở thư mục" opens the folder.
	test.Tap(findButton(t, top, "Mở thư mục"))
	if got := opened[len(opened)-1]; got != filepathDir(opened[1]) {
		t.Errorf("Mở thư mục opened %q", got)
	}

	// No PDF reader: the official is told so, and where the file is.
	e.ui.open = func(string) error { return os.ErrNotExist }
	test.Tap(b)
	top = e.ui.win.Canvas().Overlays().Top()
	if txt := renderedText(top); !strings.Contains(txt, "Không mở được trình đọc PDF") || !strings.Contains(txt, e.ui.lastPrinted) {
		t.Errorf("without a reader the dialog says:\n%s", txt)
	}
}
func filepathDir(p string) string { return filepath.Dir(p) }

// closeOverlays hides every dialog.
func closeOverlays(e *env) {
	ovs := e.ui.win.Canvas().Overlays()
	for i := 0; i < 20 && ovs.Top() != nil; i++ {
		top := ovs.Top()
		top.Hide()
		if ovs.Top() == top {
			ovs.Remove(top)
		}
	}
}

func TestEnterPrintsAndEscClosesInDialogs(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText("Phạm Thị Lan")
	r.idNumber.entry.SetText("038090001234")
	test.Tap(r.save)
	if r.last == nil {
		t.Fatal(r.errLine.Text)
	}
	c := e.ui.win.Canvas()
	kb, ok := c.Focused().(*keyButton)
	if !ok || !strings.HasPrefix(kb.Text, "In") {
		t.Fatalf("the receipt dialog focuses %T, not its print button", c.Focused())
	}
	var opened string
	e.ui.open = func(p string) error { opened = p; return nil }
	kb.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(opened, "giay-hen_") {
		t.Fatalf("Enter printed %q", opened)
	}
	// The "file is at" dialog is on top; Esc closes it, then the receipt.
	n := len(c.Overlays().List())
	c.Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(c.Overlays().List()) != n-1 {
		t.Fatalf("Esc left %d of %d dialogs", len(c.Overlays().List()), n)
	}
	// An information dialog: Enter closes it.
	e.ui.info("Một Cửa", "Đã lưu")
	c.Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(c.Overlays().List()) != n-1 {
		t.Errorf("Enter did not close the information dialog")
	}
	// A form dialog: Esc in a field cancels it.
	closeOverlays(e)
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText("Phạm Thị Lan")
	r.idNumber.entry.SetText("038090001234")
	test.Tap(r.refuse)
	e.ui.lastForm.fields[0].entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(c.Overlays().List()) != 0 {
		t.Error("Esc did not cancel the refusal dialog")
	}
}

func TestSavingAFileConfirmsWhereItWent(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.setUp())
	path := filepath.Join(t.TempDir(), "thong-ke.xlsx")
	e.ui.writeSaved(path, []byte("PK xlsx"))
	if b, err := os.ReadFile(path); err != nil || string(b) != "PK xlsx" {
		t.Fatalf("saved %q, %v", b, err)
	}
	top := e.ui.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(renderedText(top), path) {
		t.Fatal("nothing confirms the saved file")
	}
	var opened string
	e.ui.open = func(p string) error { opened = p; return nil }
	test.Tap(findButton(t, top, "Mở thư mục"))
	if opened != filepath.Dir(path) {
		t.Errorf("Mở thư mục opened %q", opened)
	}
}

func TestPrintedPDFsOlderThanADayAreRemoved(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := printDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old, fresh := filepath.Join(dir, "giay-hen_old.pdf"), filepath.Join(dir, "giay-hen_new.pdf")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("%PDF"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if err := os.Chtimes(old, now.Add(-25*time.Hour), now.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	cleanPrinted(now)
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("a day-old printed PDF (with ID numbers) is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh printed PDF was removed")
	}
}
