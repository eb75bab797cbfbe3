package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
)

// autoBackupEvery is how often the program looks whether the daily backup
// is due (app.AutoBackupEvery old).
const autoBackupEvery = time.Hour

// autoBackupLoop takes the daily backup at start-up and then looks every
// hour, until quit is closed.
func (u *UI) autoBackupLoop(tick <-chan time.Time, quit <-chan struct{}) {
	u.autoBackup()
	for {
		select {
		case <-quit:
			return
		case <-tick:
			u.autoBackup()
		}
	}
}

// autoBackup runs on a background goroutine. A failure (the USB drive is
// not plugged in) is logged and shown in the status bar, once: no dialog.
func (u *UI) autoBackup() {
	if u.opts.Servers != nil && u.opts.Servers.Shared() {
		// Several desks on a PostgreSQL server: the server is backed up
		// (pg_dump, README), not a file of this desk; nothing to warn about.
		return
	}
	var f app.BackupFile
	var dir string
	err := u.data.With(func(svc *app.Service) (err error) {
		dir, _, _ = svc.BackupPlace()
		f, err = svc.AutoBackup()
		return err
	})
	switch {
	case err != nil:
		logrus.WithError(err).WithField("dir", dir).Warn("automatic backup failed")
		text := lang.L("Chưa sao lưu tự động được") + ": " + message(err)
		if dir != "" {
			text += " (" + dir + ")"
		}
		u.do(func() { u.setBackupWarning(text) })
	case f.Path != "":
		logrus.WithField("file", f.Path).Info("automatic backup written")
		u.do(func() {
			u.backupOK()
			if t := u.backupTab(); t != nil {
				t.reloadList()
			}
		})
	}
}

// setBackupWarning keeps the warning for the status bar (shown as soon as
// the main window is).
func (u *UI) setBackupWarning(text string) {
	u.backupWarning = text
	if u.shell != nil {
		u.shell.showBackupWarning()
	}
}

// backupTab is the Sao lưu tab if it was built.
func (u *UI) backupTab() *backupTab {
	if u.shell == nil {
		return nil
	}
	if ss, ok := u.shell.screens["settings"].(*settingsScreen); ok {
		return ss.backup
	}
	return nil
}

// backupOK clears the warning after a backup succeeded.
func (u *UI) backupOK() { u.setBackupWarning("") }

// quickCheck runs the start-up integrity check (the administration log and
// the latest dossiers) in the background after the first sign-in, and warns
// when a chain is broken.
func (u *UI) quickCheck() {
	if u.checked {
		return
	}
	u.checked = true
	go func() {
		var rep *app.IntegrityReport
		err := u.data.With(func(s *app.Service) (err error) { rep, err = s.CheckIntegrity(false); return })
		switch {
		case err != nil:
			logrus.WithError(err).Error("quick integrity check")
		case rep.OK():
			logrus.WithField("dossiers", rep.Dossiers).WithField("audit", rep.Audit).Info("quick integrity check: OK")
		default:
			logrus.WithField("breaks", len(rep.Breaks)).Warn("quick integrity check found breaks")
			u.do(func() { u.integrityWarning(rep) })
		}
		u.bgDone.Add(1)
	}()
}

// integrityWarning names the damaged dossiers in one dialog.
func (u *UI) integrityWarning(rep *app.IntegrityReport) {
	var names []string
	seen := map[string]bool{}
	for _, b := range rep.Breaks {
		name := chainName(b.Chain)
		if name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	// Hundreds of damaged dossiers must not make a dialog taller than the
	// screen: the first ten are named, the rest counted, the details scroll.
	const named = 10
	list := strings.Join(names[:min(len(names), named)], ", ")
	if len(names) > named {
		list += fmt.Sprintf(lang.L(" và %d hồ sơ khác"), len(names)-named)
	}
	msg := integrityText(rep) + "\n\n" +
		lang.L("Hãy báo quản trị viên: kiểm tra toàn bộ trong Cài đặt → Sao lưu, và khôi phục từ bản sao lưu nếu cần.")
	if len(names) > 0 {
		msg = lang.L("Cảnh báo: dữ liệu của các hồ sơ sau đã bị sửa ngoài chương trình hoặc bị hỏng:") + "\n" + list + "\n\n" + msg
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(l)
	scroll.SetMinSize(fyne.NewSize(560, min(360, u.win.Canvas().Size().Height*0.6)))
	u.keyDialog(lang.L("Dữ liệu không toàn vẹn"), scroll, nil)
	u.lastWarning = msg
}
