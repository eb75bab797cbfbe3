package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// press sends key to whatever has the focus.
func press(t *testing.T, e *env, key fyne.KeyName) {
	t.Helper()
	f, ok := e.ui.win.Canvas().Focused().(fyne.Focusable)
	if !ok || f == nil {
		t.Fatalf("nothing has the focus to take %s", key)
	}
	f.TypedKey(&fyne.KeyEvent{Name: key})
}

func overlays(e *env) int { return len(e.ui.win.Canvas().Overlays().List()) }

// TestEnterAndEscAnswerEveryConfirmation: the calendar's "regenerate", the
// restore confirmation and the backup passphrase dialogs answer the
// keyboard; Esc always leaves things as they are.
func TestEnterAndEscAnswerEveryConfirmation(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("calendar")
	cal := ss.calendar
	date := cal.entries[0].Date
	if err := e.svc.DeleteCalendarEntry(admin, date); err != nil {
		t.Fatal(err)
	}
	count := func() int { es, _ := e.svc.CalendarEntries(cal.year); return len(es) }
	before := count()

	// Regenerate: Esc cancels, Enter on the focused "Đóng" cancels too,
	// Tab to "Tạo lại" and Enter does it.
	cal.askRegenerate()
	if overlays(e) != 1 {
		t.Fatal("no confirmation")
	}
	press(t, e, fyne.KeyEscape)
	if overlays(e) != 0 || count() != before {
		t.Fatalf("Esc: %d dialogs, %d days (was %d)", overlays(e), count(), before)
	}
	cal.askRegenerate()
	press(t, e, fyne.KeyReturn)
	if overlays(e) != 0 || count() != before {
		t.Fatal("Enter on Đóng did something")
	}
	cal.askRegenerate()
	e.ui.win.Canvas().FocusNext()
	if kb, ok := e.ui.win.Canvas().Focused().(*keyButton); !ok || kb.Text != "Tạo lại" {
		t.Fatalf("Tab went to %T", e.ui.win.Canvas().Focused())
	}
	press(t, e, fyne.KeyReturn)
	if overlays(e) != 0 || count() != before+1 {
		t.Fatalf("Enter on Tạo lại: %d dialogs, %d days (want %d)", overlays(e), count(), before+1)
	}

	// Deleting a holiday: Esc keeps it.
	cal.remove(date)
	press(t, e, fyne.KeyEscape)
	if overlays(e) != 0 || count() != before+1 {
		t.Fatal("Esc deleted the holiday")
	}

	// Restore: Esc cancels and removes the opened copy.
	tab := e.backupTab(admin)
	plain := filepath.Join(t.TempDir(), "opened.db")
	os.WriteFile(plain, []byte("x"), 0o600)
	tab.confirmRestore(filepath.Join(t.TempDir(), "backup.db"), plain, false, "Khôi phục?")
	if kb, ok := e.ui.win.Canvas().Focused().(*keyButton); !ok || kb.Text != "Đóng" {
		t.Fatalf("the restore confirmation focuses %T", e.ui.win.Canvas().Focused())
	}
	press(t, e, fyne.KeyEscape)
	if overlays(e) != 0 {
		t.Fatal("Esc left the restore confirmation")
	}
	if _, err := os.Stat(plain); !os.IsNotExist(err) {
		t.Errorf("the opened copy stays after a cancelled restore: %v", err)
	}

	// The passphrase asked to open a backup: Enter continues, Esc cancels.
	var got []string
	e.ui.askPassphrase("Mở bản sao lưu", func(p string) { got = append(got, p) })
	test.Type(e.ui.win.Canvas().Focused().(fyne.Focusable), "abc")
	press(t, e, fyne.KeyEscape)
	e.ui.askPassphrase("Mở bản sao lưu", func(p string) { got = append(got, p) })
	test.Type(e.ui.win.Canvas().Focused().(fyne.Focusable), "mật khẩu")
	press(t, e, fyne.KeyReturn)
	if overlays(e) != 0 || strings.Join(got, "|") != "mật khẩu" {
		t.Fatalf("passphrase answers %q, %d dialogs", got, overlays(e))
	}

	// Setting the passphrase: Esc in its field closes the dialog.
	tab.askSetPassphrase()
	if _, ok := e.ui.win.Canvas().Focused().(*entry); !ok {
		t.Fatalf("the passphrase dialog focuses %T", e.ui.win.Canvas().Focused())
	}
	press(t, e, fyne.KeyEscape)
	if overlays(e) != 0 {
		t.Fatal("Esc left the passphrase dialog")
	}
}

// TestFormDialogButtonsAnswerTheKeyboard: with the focus on a form
// dialog's buttons (Tab), Enter presses them and Esc cancels.
func TestFormDialogButtonsAnswerTheKeyboard(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.setUp())
	done := 0
	note := newField("note", "Ghi chú", newEntry(), nil)
	f := e.ui.formDialog("Ghi chú", "Lưu", fieldSet{note}, func() error { done++; return nil })
	e.ui.win.Canvas().Focus(f.cancel)
	press(t, e, fyne.KeyEscape)
	if overlays(e) != 0 || done != 0 {
		t.Fatalf("Esc on Hủy: %d dialogs, saved %d", overlays(e), done)
	}
	f = e.ui.formDialog("Ghi chú", "Lưu", fieldSet{note}, func() error { done++; return nil })
	e.ui.win.Canvas().Focus(f.submit)
	press(t, e, fyne.KeyReturn)
	if overlays(e) != 0 || done != 1 {
		t.Fatalf("Enter on Lưu: %d dialogs, saved %d", overlays(e), done)
	}
}
