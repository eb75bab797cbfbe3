package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
)

// The backup passphrase (mật khẩu sao lưu): set once by the administrator,
// written down on paper, asked for when a backup is opened (restore,
// import) or an office is exported. The screens only ask; the key and the
// rule of strength are app's.

// passphraseFields are the two entries, the strength and the promise to
// write the passphrase down: in the Backup tab's dialog and in the wizard.
type passphraseFields struct {
	p1, p2   *field
	strength *widget.Label
	written  *widget.Check
	view     fyne.CanvasObject
}

func newPassphraseFields() *passphraseFields {
	f := &passphraseFields{}
	f.strength = widget.NewLabel("")
	f.p1 = newField("backup_passphrase", lang.L("Mật khẩu sao lưu"), newPasswordEntry(), nil)
	f.p2 = newField("backup_passphrase2", lang.L("Nhập lại"), newPasswordEntry(), func(v string) (string, error) {
		if v != f.p1.entry.Text {
			return "", errors.New(lang.L("Hai lần nhập mật khẩu không khớp"))
		}
		return "", nil
	})
	f.p1.entry.OnChanged = func(v string) { f.showStrength(v) }
	f.written = widget.NewCheck(lang.L("Tôi đã ghi mật khẩu ra giấy và cất ở nơi an toàn"), nil)
	hint := widget.NewLabel(lang.L("Mọi bản sao lưu và tệp xuất dữ liệu được mã hóa bằng mật khẩu này. Chương trình không lưu mật khẩu: mất mật khẩu thì không mở được các bản sao lưu (xem README)."))
	hint.Wrapping = fyne.TextWrapWord
	f.view = container.NewVBox(hint, fieldSet{f.p1, f.p2}.grid(), f.strength, f.written)
	f.showStrength("")
	return f
}

func (f *passphraseFields) showStrength(v string) {
	score, label := app.PassphraseStrength(v)
	f.strength.SetText(fmt.Sprintf(lang.L("Độ mạnh: %s (%d/4)"), lang.L(label), score))
	if score < app.MinPassphraseScore {
		f.strength.Importance = widget.DangerImportance
	} else {
		f.strength.Importance = widget.SuccessImportance
	}
	f.strength.Refresh()
}

// empty reports whether nothing was typed (the wizard's step is optional).
func (f *passphraseFields) empty() bool { return f.p1.entry.Text == "" && f.p2.entry.Text == "" }

// value checks the entries and the promise and returns the passphrase.
func (f *passphraseFields) value() (string, error) {
	if err := (fieldSet{f.p1, f.p2}).validate(); err != nil {
		return "", errors.New(lang.L("Hai lần nhập mật khẩu không khớp"))
	}
	if !f.written.Checked {
		return "", errors.New(lang.L("Hãy ghi mật khẩu sao lưu ra giấy, rồi đánh dấu ô xác nhận"))
	}
	return f.p1.entry.Text, nil
}

// passphraseStatus says whether the backup passphrase is set.
func (u *UI) passphraseStatus() string {
	if ok, err := u.svc.HasBackupPassphrase(); err == nil && ok {
		return lang.L("Đã đặt mật khẩu sao lưu: các bản sao lưu được mã hóa.")
	}
	return lang.L("Chưa đặt mật khẩu sao lưu: chương trình chưa sao lưu được.")
}

// askSetPassphrase opens the dialog that sets (or changes) the backup
// passphrase; done runs after it is set.
func (t *backupTab) askSetPassphrase() {
	f := newPassphraseFields()
	errLine := errorLine()
	var d dialog.Dialog
	set := func() {
		pass, err := f.value()
		if err != nil {
			setErrorLine(errLine, message(err))
			return
		}
		// scrypt takes a second: behind a progress bar, off Fyne's goroutine.
		t.u.withProgress(lang.L("Đang tạo khóa sao lưu…"), "", func(app.Progress) error {
			return t.u.svc.SetBackupPassphrase(t.u.user, pass)
		}, func(err error) {
			if err != nil {
				setErrorLine(errLine, message(err))
				return
			}
			d.Hide()
			logrus.Info("backup passphrase set")
			t.keyStatus.SetText(t.u.passphraseStatus())
			t.result.SetText(lang.L("Đã đặt mật khẩu sao lưu. Bản sao lưu cũ vẫn mở bằng mật khẩu cũ."))
		})
	}
	hide := func() { d.Hide() }
	ok := newKeyButton(lang.L("Đặt mật khẩu"), nil, set, hide)
	ok.Importance = widget.HighImportance
	cancel := newKeyButton(lang.L("Hủy"), nil, hide, hide)
	for _, e := range []*entry{f.p1.entry, f.p2.entry} {
		e.OnSubmitted = func(string) { set() }
		e.onEsc = hide
	}
	body := container.NewVBox(f.view, errLine, container.NewHBox(layout.NewSpacer(), cancel, ok))
	d = dialog.NewCustomWithoutButtons(lang.L("Mật khẩu sao lưu"), container.New(fixedWidth(520), body), t.u.win)
	t.lastPassDialog = f
	t.passSubmit = set
	d.Show()
	t.u.win.Canvas().Focus(f.p1.entry)
	// The wrapped hint is taller than its one-line minimum: room for it.
	d.Resize(fyne.NewSize(560, 400))
}

// askPassphrase asks for the backup passphrase once (to open a backup or to
// export); done gets it, nothing when cancelled.
func (u *UI) askPassphrase(title string, done func(pass string)) {
	e := newPasswordEntry()
	e.SetPlaceHolder(lang.L("Mật khẩu sao lưu"))
	lbl := widget.NewLabel(lang.L("Nhập mật khẩu sao lưu (mật khẩu quản trị viên đã ghi ra giấy khi đặt)."))
	lbl.Wrapping = fyne.TextWrapWord
	d := u.ask(title, container.New(fixedWidth(460), container.NewVBox(lbl, e)), lang.L("Tiếp tục"), widget.HighImportance,
		func() { done(e.Text) }, nil)
	e.OnSubmitted = func(string) { d.Hide(); done(e.Text) }
	e.onEsc = d.Hide
	u.win.Canvas().Focus(e)
}

// openBackup opens the backup at path for a restore: a sealed one with the
// passphrase (asked by ask), decrypted and checked behind a progress bar; a
// plain one from before encryption checked and confirmed with a warning.
// then gets the plain file and whether it is legacy; it removes nothing.
func (u *UI) openBackup(path string, ask func(title string, done func(string)), errLine *widget.Label, then func(plain string, legacy bool)) {
	run := func(pass string) {
		var plain string
		var legacy bool
		u.withProgress(lang.L("Đang mở tệp sao lưu…"), filepath.Base(path), func(p app.Progress) (err error) {
			plain, legacy, err = u.svc.OpenBackup(path, pass, p)
			return err
		}, func(err error) {
			if err != nil {
				logrus.WithError(err).WithField("file", filepath.Base(path)).Warn("open backup")
				setErrorLine(errLine, message(err))
				return
			}
			then(plain, legacy)
		})
	}
	sealed, err := app.IsSealed(path)
	if err != nil {
		setErrorLine(errLine, message(err))
		return
	}
	if !sealed {
		run("")
		return
	}
	ask(lang.L("Mở bản sao lưu"), run)
}

// legacyWarning is said before restoring a backup written in clear.
func legacyWarning() string {
	return lang.L("Cảnh báo: tệp này là bản sao lưu cũ, không được mã hóa. Ai có tệp cũng đọc được dữ liệu công dân: sau khi khôi phục, hãy xóa tệp này và các bản cũ tương tự.")
}

// removeOpened removes the decrypted copy of a backup once restored.
func removeOpened(path, plain string) {
	if plain != "" && plain != path {
		if err := os.Remove(plain); err != nil && !os.IsNotExist(err) {
			logrus.WithError(err).Warn("remove the decrypted backup")
		}
	}
}
