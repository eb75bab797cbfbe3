package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// pickerTexts are the words the file dialog shows, apart from the folder's
// path and the names of the files in it.
func pickerTexts(t *testing.T, e *env, p *filePicker) []string {
	t.Helper()
	skip := map[fyne.CanvasObject]bool{p.where: true}
	for _, o := range test.LaidOutObjects(p.list) {
		skip[o] = true
	}
	var out []string
	for _, o := range test.LaidOutObjects(e.ui.win.Canvas().Overlays().Top()) {
		if skip[o] {
			continue
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *keyButton:
			out = append(out, w.Text)
		case *entry:
			out = append(out, w.PlaceHolder)
		}
	}
	return out
}

// TestFileDialogSpeaksVietnamese: the file dialog (to restore a backup, to
// attach scans, to save a PDF) names its places and buttons in Vietnamese,
// opens folders, offers only matching files and answers with the path.
func TestFileDialogSpeaksVietnamese(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, d := range []string{"Documents", "Desktop", "Downloads", "Documents/Sao lưu"} {
		os.MkdirAll(filepath.Join(home, d), 0o755)
	}
	os.WriteFile(filepath.Join(home, "Documents/Sao lưu/tanlap.db"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(home, "Documents/Sao lưu/ghi chú.txt"), []byte("x"), 0o600)
	e := newEnv(t)
	e.signIn(e.setUp())

	var got string
	e.ui.chooseFile("Chọn tệp sao lưu", []string{".db"}, func(p string) { got = p })
	p := e.ui.lastFilePicker
	english := regexp.MustCompile(`\b(Home|Computer|Documents|Desktop|Downloads|Open|Save|Cancel|File|Folder|Name|Parent|Show Hidden Files|New Folder)\b`)
	texts := pickerTexts(t, e, p)
	all := strings.Join(texts, " | ")
	if m := english.FindString(all); m != "" {
		t.Errorf("the file dialog says %q: %s", m, all)
	}
	for _, want := range []string{"Thư mục cá nhân", "Tài liệu", "Màn hình nền", "Tải về", "Máy tính", "Mở", "Đóng"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in the file dialog: %s", want, all)
		}
	}
	if kb, ok := e.ui.win.Canvas().Focused().(*keyButton); !ok || kb.Text != "Đóng" {
		t.Errorf("before a file is chosen the focus is on %T, not Đóng", e.ui.win.Canvas().Focused())
	}
	if p.dir != filepath.Join(home, "Documents") || len(p.items) != 1 || p.items[0].Name() != "Sao lưu" {
		t.Fatalf("the dialog opens %s with %v", p.dir, p.items)
	}
	p.list.Select(0) // into "Sao lưu": only the .db file is offered
	if len(p.items) != 1 || p.items[0].Name() != "tanlap.db" || !p.ok.Disabled() {
		t.Fatalf("in %s: %v (Mở disabled: %v)", p.dir, p.items, p.ok.Disabled())
	}
	p.list.Select(0)
	press(t, e, fyne.KeyReturn) // the focus is on "Mở"
	if got != filepath.Join(home, "Documents", "Sao lưu", "tanlap.db") || overlays(e) != 0 {
		t.Fatalf("chose %q, %d dialogs left", got, overlays(e))
	}

	// Saving: the extension is added; an existing file is replaced only
	// when the official agrees.
	got = ""
	e.ui.chooseSave("Lưu tệp", "giay-hen_000.00.31.H56-250429-0001.pdf", ".pdf", func(p string) { got = p })
	p = e.ui.lastFilePicker
	if m := english.FindString(strings.Join(pickerTexts(t, e, p), " | ")); m != "" {
		t.Errorf("the save dialog says %q", m)
	}
	// The next dialog opens in the folder of the last file chosen (a
	// scanner's folder, usually).
	if p.dir != filepath.Join(home, "Documents", "Sao lưu") {
		t.Errorf("the second dialog opens %s, not the last folder used", p.dir)
	}
	p.name.SetText("phieu")
	p.confirm()
	want := filepath.Join(home, "Documents", "Sao lưu", "phieu.pdf")
	if got != want {
		t.Fatalf("saved as %q, want %q", got, want)
	}
	os.WriteFile(want, []byte("x"), 0o600)
	got = ""
	e.ui.chooseSave("Lưu tệp", "phieu.pdf", ".pdf", func(p string) { got = p })
	e.ui.lastFilePicker.confirm()
	if got != "" || !strings.Contains(e.ui.lastConfirm, "phieu.pdf") {
		t.Fatalf("an existing file was replaced without asking (%q)", e.ui.lastConfirm)
	}
	test.Tap(topDialogButton(t, e, "Ghi đè"))
	if got != want || overlays(e) != 0 {
		t.Fatalf("after Ghi đè: %q, %d dialogs", got, overlays(e))
	}

	// A folder: the one open is chosen.
	e.ui.chooseFolder("Thư mục sao lưu", func(p string) { got = p })
	p = e.ui.lastFilePicker
	p.open(filepath.Join(home, "Desktop"))
	p.confirm()
	if got != filepath.Join(home, "Desktop") {
		t.Errorf("folder %q", got)
	}
}
