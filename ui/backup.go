package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
)

// backupFile is one file of the backup folder.
type backupFile struct {
	name  string
	taken time.Time
	size  int64
}

// backupTab is Cài đặt → Sao lưu (administrator): where backups go and how
// many are kept, a backup now, the list of backups to restore from, the
// export of the whole office, and the integrity check.
type backupTab struct {
	u        *UI
	dir      *field
	keep     *field
	files    []backupFile
	list     *widget.List
	selected int
	result   *widget.Label // the last backup written
	errLine  *widget.Label
	restore  *widget.Button
	check    *integrityPanel
	root     fyne.CanvasObject
	// pickFolder and pickSave stand for the file dialogs (tests replace them).
	pickFolder func(func(string))
	pickSave   func(name string, done func(string))
	pickOpen   func(done func(string))
	// The backup passphrase (backup_key.go): its status, the dialog that
	// sets it, and the question that asks for it (tests replace askPass).
	keyStatus      *widget.Label
	lastPassDialog *passphraseFields
	passSubmit     func()
	askPass        func(title string, done func(string))
}

func newBackupTab(u *UI) *backupTab {
	t := &backupTab{u: u, selected: -1}
	t.dir = newField("backup_dir", lang.L("Thư mục sao lưu"), newEntry(), required(lang.L("Chọn thư mục sao lưu")))
	t.keep = newField("backup_keep", lang.L("Số bản giữ lại"), newEntry(), func(v string) (string, error) {
		_, err := parseCount(v)
		return "", err
	})
	t.pickFolder = func(done func(string)) { u.chooseFolder(lang.L("Thư mục sao lưu"), done) }
	t.pickSave = func(name string, done func(string)) {
		u.chooseSave(lang.L("Xuất dữ liệu cơ quan"), name, ".db", done)
	}
	t.pickOpen = u.openDBFile
	t.askPass = u.askPassphrase
	t.keyStatus = widget.NewLabel(u.passphraseStatus())
	t.keyStatus.Wrapping = fyne.TextWrapWord
	setKey := widget.NewButtonWithIcon(lang.L("Đặt mật khẩu sao lưu…"), theme.AccountIcon(), t.askSetPassphrase)
	browse := widget.NewButtonWithIcon(lang.L("Chọn thư mục…"), theme.FolderOpenIcon(), func() {
		t.pickFolder(func(p string) { t.dir.entry.SetText(p); t.dir.clear() })
	})
	save := widget.NewButtonWithIcon(lang.L("Lưu cài đặt sao lưu"), theme.DocumentSaveIcon(), t.saveSettings)
	now := widget.NewButtonWithIcon(lang.L("Sao lưu ngay"), theme.UploadIcon(), t.backupNow)
	now.Importance = widget.HighImportance
	export := widget.NewButtonWithIcon(lang.L("Xuất dữ liệu cơ quan…"), theme.DocumentSaveIcon(), t.askExport)
	t.result = widget.NewLabel("")
	t.result.Truncation = fyne.TextTruncateEllipsis
	t.result.Importance = widget.SuccessImportance
	t.errLine = errorLine()

	t.list = widget.NewList(func() int { return max(len(t.files), 1) },
		func() fyne.CanvasObject {
			size := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, size, widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			name, size := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			if len(t.files) == 0 {
				name.TextStyle = fyne.TextStyle{Italic: true}
				name.SetText(lang.L("Chưa có bản sao lưu nào trong thư mục này"))
				size.SetText("")
				return
			}
			f := t.files[i]
			name.TextStyle = fyne.TextStyle{}
			name.SetText(fmtDateTime(f.taken) + "  ·  " + f.name)
			size.SetText(fmtSize(f.size))
		})
	t.list.OnSelected = func(i widget.ListItemID) {
		if i >= len(t.files) {
			t.list.UnselectAll()
			return
		}
		t.selected = i
		t.restore.Enable()
	}
	t.list.OnUnselected = func(widget.ListItemID) { t.selected = -1; t.restore.Disable() }
	t.restore = widget.NewButtonWithIcon(lang.L("Khôi phục từ bản đã chọn…"), theme.HistoryIcon(), t.askRestore)
	t.restore.Importance = widget.DangerImportance
	t.restore.Disable()

	t.check = newIntegrityPanel(u)
	hint := widget.NewLabel(lang.L("Chương trình tự sao lưu mỗi ngày một lần vào thư mục này (có thể là ổ USB) và xóa các bản cũ hơn số bản giữ lại."))
	hint.Wrapping = fyne.TextWrapWord
	where := container.NewBorder(nil, nil, nil, browse, t.dir.entry)
	form := fieldSet{newInputField("backup_dir", lang.L("Thư mục sao lưu"), where), t.keep}
	t.dir.entry.OnSubmitted = func(string) { t.saveSettings() }
	t.keep.entry.OnSubmitted = func(string) { t.saveSettings() }
	left := container.NewVBox(
		heading(lang.L("Sao lưu")), hint, form.grid(), t.dir.msg, container.NewHBox(save),
		t.keyStatus, container.NewHBox(setKey),
		widget.NewSeparator(),
		container.NewHBox(now, export), t.result, t.errLine,
		widget.NewSeparator(),
		t.check.root)
	other := widget.NewButtonWithIcon(lang.L("Khôi phục từ tệp khác…"), theme.FolderOpenIcon(), t.askRestoreFile)
	right := container.NewBorder(heading(lang.L("Các bản sao lưu (mới nhất trước)")), container.NewHBox(t.restore, other), nil, nil, t.list)
	split := container.NewHSplit(formScroll(left), container.NewPadded(right))
	split.SetOffset(0.55)
	t.root = split
	return t
}

// openDBFile asks for a .db file (a backup or an exported office).
func (u *UI) openDBFile(done func(path string)) {
	u.chooseFile(lang.L("Chọn tệp sao lưu"), []string{".db"}, done)
}

// fmtSize is a file size in Vietnamese notation: 812 KB, 12,4 MB.
func fmtSize(n int64) string { return app.FormatSize(n) }

// backupPlace is the folder and the number of backups kept from the
// settings; the folder defaults to DATA/backups.
func (u *UI) backupPlace() (dir string, keep int) {
	dir, keep, err := u.svc.BackupPlace()
	if err != nil {
		return u.svc.DefaultBackupDir(), app.DefaultSettings().BackupKeep
	}
	return dir, keep
}

func (t *backupTab) load() {
	dir, keep := t.u.backupPlace()
	t.dir.entry.SetText(dir)
	t.keep.entry.SetText(strconv.Itoa(keep))
	t.keyStatus.SetText(t.u.passphraseStatus())
	t.dir.clear()
	t.keep.clear()
	t.reloadList()
}

// reloadList lists the backup folder, newest first.
func (t *backupTab) reloadList() {
	dir, _ := t.u.backupPlace()
	t.files = t.files[:0]
	files, err := app.ListBackups(dir)
	if err != nil && app.KindOf(err) != app.KindNotFound {
		setErrorLine(t.errLine, message(err))
	}
	for _, f := range slices.Backward(files) {
		t.files = append(t.files, backupFile{name: f.Name, taken: f.Taken, size: f.Size})
	}
	t.selected = -1
	t.list.UnselectAll()
	t.list.Refresh()
	t.restore.Disable()
}

func (t *backupTab) saveSettings() {
	setErrorLine(t.errLine, "")
	if (fieldSet{t.dir, t.keep}).validate() != nil {
		return
	}
	st, err := t.u.svc.Settings()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	st.BackupDir = t.dir.text()
	if st.BackupDir == t.u.svc.DefaultBackupDir() {
		st.BackupDir = "" // the default follows the data folder
	}
	st.BackupKeep, _ = parseCount(t.keep.entry.Text)
	if err := t.u.svc.SaveSettings(t.u.user, st); err != nil {
		(fieldSet{t.dir, t.keep}).apply(err)
		setErrorLine(t.errLine, message(err))
		return
	}
	t.result.SetText(lang.L("Đã lưu cài đặt sao lưu"))
	t.reloadList()
}

// backupNow writes a backup into the folder at once, in the background
// behind a progress bar.
func (t *backupTab) backupNow() {
	setErrorLine(t.errLine, "")
	t.result.SetText("")
	dir, _ := t.u.backupPlace()
	var f app.BackupFile
	t.u.withProgress(lang.L("Đang sao lưu…"), dir, func(p app.Progress) (err error) {
		return t.u.data.With(func(svc *app.Service) (err error) { f, err = svc.Backup(t.u.user, p); return })
	}, func(err error) {
		if err != nil {
			logrus.WithError(err).WithField("dir", dir).Error("backup")
			setErrorLine(t.errLine, message(err)+" ("+dir+")")
			return
		}
		logrus.WithField("file", f.Path).Info("backup written")
		t.result.SetText(fmt.Sprintf(lang.L("Đã sao lưu: %s (%s)"), f.Name, fmtSize(f.Size)))
		t.u.backupOK()
		t.reloadList()
	})
}

// askExport writes the whole office to one file the administrator names:
// the file to carry to a new computer ("Khôi phục từ tệp sao lưu" there).
func (t *backupTab) askExport() {
	name := "motcua-" + t.u.agency.Code + "-" + t.u.now().Format("20060102") + ".db"
	t.pickSave(name, func(path string) {
		t.askPass(lang.L("Xuất dữ liệu cơ quan"), func(pass string) { t.export(path, pass) })
	})
}

func (t *backupTab) export(path, pass string) {
	setErrorLine(t.errLine, "")
	var size int64
	t.u.withProgress(lang.L("Đang xuất dữ liệu cơ quan…"), path, func(p app.Progress) error {
		return t.u.data.With(func(svc *app.Service) (err error) { size, err = svc.ExportOffice(t.u.user, path, pass, p); return })
	}, func(err error) {
		if err != nil {
			logrus.WithError(err).WithField("file", path).Error("export")
			setErrorLine(t.errLine, message(err))
			return
		}
		t.result.SetText(fmt.Sprintf(lang.L("Đã xuất dữ liệu cơ quan: %s (%s)"), filepath.Base(path), fmtSize(size)))
	})
}

func (t *backupTab) askRestore() {
	if t.selected < 0 || t.selected >= len(t.files) {
		return
	}
	f := t.files[t.selected]
	dir, _ := t.u.backupPlace()
	path := filepath.Join(dir, f.name)
	setErrorLine(t.errLine, "")
	t.u.openBackup(path, t.askPass, t.errLine, func(plain string, legacy bool) {
		t.confirmRestore(path, plain, legacy, fmt.Sprintf(lang.L("Khôi phục dữ liệu từ bản sao lưu lúc %s?"), fmtDateTime(f.taken)))
	})
}

// askRestoreFile restores from a file elsewhere: an exported office, or a
// backup on another drive. A damaged file is refused before anything else.
func (t *backupTab) askRestoreFile() {
	t.pickOpen(func(path string) {
		setErrorLine(t.errLine, "")
		t.u.openBackup(path, t.askPass, t.errLine, func(plain string, legacy bool) {
			t.confirmRestore(path, plain, legacy, fmt.Sprintf(lang.L("Khôi phục dữ liệu từ tệp %s?"), path))
		})
	})
}

// confirmRestore says what a restore does before doing it.
// plain is the opened (decrypted) file; legacy a backup written in clear.
func (t *backupTab) confirmRestore(path, plain string, legacy bool, question string) {
	msg := question + "\n\n" +
		lang.L("Toàn bộ dữ liệu hiện tại (hồ sơ, người dùng, cài đặt) sẽ được thay bằng dữ liệu trong bản sao lưu: những gì nhập sau thời điểm đó sẽ không còn.") + "\n" +
		fmt.Sprintf(lang.L("Tệp dữ liệu hiện tại được giữ lại là %s."), "motcua.db.before-restore") + "\n" +
		lang.L("Sau khi khôi phục, chương trình kiểm tra toàn vẹn dữ liệu và báo kết quả.")
	if legacy {
		msg += "\n\n" + legacyWarning()
	}
	lbl := widget.NewLabel(msg)
	lbl.Wrapping = fyne.TextWrapWord
	t.u.ask(lang.L("Khôi phục dữ liệu"), container.New(fixedWidth(560), lbl), lang.L("Khôi phục"), widget.DangerImportance,
		func() { t.u.restoreOpened(path, plain, nil) },
		func() { removeOpened(path, plain) })
}

// restoreFrom replaces the office's data with the backup at path, in the
// background behind a progress bar: the screens let go of the old service,
// the office (main) checks the file, swaps it and reconnects, and the full
// integrity check runs on the result. Signed in, the officer stays signed in
// when the restored data still knows them as an administrator; done (if
// any) runs after, on Fyne's goroutine.
func (u *UI) restoreFrom(path string, done func(err error)) { u.restoreOpened(path, path, done) }

// restoreOpened is restoreFrom of the backup at path opened into plain
// (decrypted; removed once restored).
func (u *UI) restoreOpened(path, plain string, done func(err error)) {
	if err := u.svc.MayRestore(u.user); err != nil {
		removeOpened(path, plain)
		u.showError(err)
		return
	}
	// Nothing may lock or tick over the old database; signing in again
	// afterwards starts both anew.
	u.idle.stop()
	if u.shell != nil {
		u.shell.stop()
	}
	user := u.user
	var svc *app.Service
	var rep *app.IntegrityReport
	var ierr error
	u.withProgress(lang.L("Đang khôi phục dữ liệu…"), filepath.Base(path), func(p app.Progress) error {
		logrus.WithField("file", path).Info("restore")
		var err error
		svc, err = u.data.Restore(plain, p)
		removeOpened(path, plain)
		if svc != nil {
			ierr = u.data.With(func(s *app.Service) (err error) { rep, err = s.CheckIntegrity(true); return })
		}
		return err
	}, func(err error) {
		if svc == nil {
			logrus.WithError(err).Error("restore: database not reopened")
			u.fatal(message(err))
			u.bgDone.Add(1)
			return
		}
		u.reopened(svc)
		if err != nil {
			logrus.WithError(err).Error("restore")
		} else {
			logrus.WithField("file", path).Info("restored")
		}
		u.afterRestore(user, path, err, rep, ierr)
		if done != nil {
			done(err)
		}
		u.bgDone.Add(1)
	})
}

// reopened takes the service and the connection over the restored data.
func (u *UI) reopened(svc *app.Service) {
	u.svc = svc
	u.now = svc.Now
	u.hub = u.data.Sync()
	u.wireHub()
	u.follow()
}

// afterRestore audits the restore, returns to a screen and reports the
// integrity of the restored data.
func (u *UI) afterRestore(user *app.User, path string, err error, rep *app.IntegrityReport, ierr error) {
	var usr *app.User
	if user != nil {
		if x, uerr := u.svc.User(user.Username); uerr == nil && !x.Disabled && x.Has(app.RoleAdmin) {
			usr = x
		}
	}
	if err == nil {
		if aerr := u.svc.RecordRestore(user, path); aerr != nil {
			logrus.WithError(aerr).Error("audit restore")
		}
	}
	switch {
	case usr != nil:
		u.signedIn(usr)
		u.shell.go_("settings")
		if ss, ok := u.shell.screens["settings"].(*settingsScreen); ok {
			ss.selectTab("backup")
		}
	case user != nil:
		// The restored data does not know this administrator (any more).
		u.signOut()
	}
	if err != nil {
		u.showError(err)
		return
	}
	title := lang.L("Đã khôi phục dữ liệu")
	switch {
	case ierr != nil:
		u.info(title, lang.L("Không kiểm tra được toàn vẹn dữ liệu")+": "+message(ierr))
	default:
		u.info(title, integrityText(rep))
	}
}

// integrityText is the result of an integrity check in one paragraph.
func integrityText(rep *app.IntegrityReport) string {
	if rep.OK() {
		return fmt.Sprintf(lang.L("Dữ liệu toàn vẹn: %d hồ sơ, %d mục nhật ký quản trị"), rep.Dossiers, rep.Audit)
	}
	lines := []string{fmt.Sprintf(lang.L("Phát hiện %d chỗ dữ liệu bị sửa hoặc hỏng (đã kiểm tra %d hồ sơ, %d mục nhật ký quản trị):"),
		len(rep.Breaks), rep.Dossiers, rep.Audit)}
	if rep.HubError != "" {
		lines = append(lines, lang.L("Không đối chiếu được với bản lưu trên máy chủ liên thông")+": "+rep.HubError)
	}
	for i, b := range rep.Breaks {
		if i == 50 {
			lines = append(lines, fmt.Sprintf(lang.L("… và %d chỗ khác"), len(rep.Breaks)-i))
			break
		}
		lines = append(lines, "• "+breakText(b))
	}
	return strings.Join(lines, "\n")
}

// breakText is one finding in the interface language: the chain (a dossier
// code or the administration log) and the reason, translated from its
// message ID. The statistics, digest and dossier-list findings name what
// they are about in their reason, so they carry no chain name.
func breakText(b app.ChainBreak) string {
	reason := render(b.Reason)
	name := chainName(b.Chain)
	switch {
	case b.Seq > 0:
		return fmt.Sprintf("%s #%d: %s", name, b.Seq, reason)
	case name == "":
		return reason
	}
	return name + ": " + reason
}

// chainName is how a finding's chain is shown: a dossier code as it is.
func chainName(chain string) string {
	switch chain {
	case "audit":
		return lang.L("Nhật ký quản trị")
	case "stats", "digest", "dossiers":
		return ""
	}
	return chain
}

// integrityPanel is the "Kiểm tra toàn vẹn dữ liệu" button with its result.
type integrityPanel struct {
	u       *UI
	button  *widget.Button
	bar     *widget.ProgressBar
	printed *widget.Entry // optional: a digest line typed in from a printed footer
	result  *widget.Label
	running bool
	root    fyne.CanvasObject
}

func newIntegrityPanel(u *UI) *integrityPanel {
	p := &integrityPanel{u: u}
	p.button = widget.NewButtonWithIcon(lang.L("Kiểm tra toàn vẹn dữ liệu"), theme.ConfirmIcon(), p.run)
	p.bar = widget.NewProgressBar()
	p.bar.Hide()
	p.result = widget.NewLabel(lang.L("Đọc lại toàn bộ hồ sơ và nhật ký quản trị, kiểm tra chuỗi mã băm để phát hiện dữ liệu bị sửa ngoài chương trình."))
	p.result.Wrapping = fyne.TextWrapWord
	p.printed = widget.NewEntry()
	p.printed.SetPlaceHolder(lang.L("Đối chiếu với bản in (tùy chọn): dòng \"Dấu tổng hợp dữ liệu đến ngày …\" ở chân trang"))
	p.root = container.NewVBox(heading(lang.L("Toàn vẹn dữ liệu")), p.printed, container.NewHBox(p.button), p.bar, p.result)
	return p
}

func (p *integrityPanel) run() {
	if p.running {
		return
	}
	var printed []app.DailyDigest
	if txt := strings.TrimSpace(p.printed.Text); txt != "" {
		d, ok := app.ParseFooterLine(txt)
		if !ok {
			p.result.Importance = widget.DangerImportance
			p.result.SetText(lang.L("Không đọc được dòng dấu tổng hợp: cần ngày DD/MM/YYYY và 64 chữ số hex"))
			return
		}
		printed = append(printed, d)
	}
	p.running = true
	p.button.Disable()
	p.bar.SetValue(0)
	p.bar.Show()
	p.result.Importance = widget.MediumImportance
	p.result.SetText(lang.L("Đang kiểm tra…"))
	go func() {
		var rep *app.IntegrityReport
		progress := func(done, total int) { // from the checking goroutine
			p.u.do(func() {
				p.bar.Max = float64(max(total, 1))
				p.bar.SetValue(float64(done))
			})
		}
		err := p.u.data.With(func(s *app.Service) (err error) {
			rep, err = s.CheckIntegrityWith(app.CheckOptions{Full: true, Progress: progress, Printed: printed})
			return
		})
		p.u.do(func() {
			p.running = false
			p.bar.Hide()
			p.button.Enable()
			switch {
			case err != nil:
				p.result.Importance = widget.DangerImportance
				p.result.SetText(message(err))
			case rep.OK():
				p.result.Importance = widget.SuccessImportance
				p.result.SetText(integrityText(rep))
			default:
				logrus.WithField("breaks", len(rep.Breaks)).Warn("integrity check found breaks")
				p.result.Importance = widget.DangerImportance
				p.result.SetText(integrityText(rep))
			}
			p.result.Refresh()
			p.u.bgDone.Add(1)
		})
	}()
}
