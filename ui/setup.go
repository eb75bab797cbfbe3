package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
)

// setupScreen is the first-run wizard: the office, its hours and the first
// administrator — or demo data.
type setupScreen struct {
	u *UI

	name, governing, code, place, address, phone *field
	level                                        *choice[app.AgencyLevel]
	hours                                        *hoursEditor
	username, fullName, title, pw1, pw2          *field
	fields                                       fieldSet
	errLine                                      *widget.Label
	save, demo, restore                          *widget.Button
	// counter: the first user also receives, processes and approves (a
	// small commune has one or two officials)
	counter *widget.Check
	view    fyne.CanvasObject
	// pickOpen stands for the file dialog (tests replace it).
	pickOpen func(done func(path string))
	// pass is the optional backup passphrase (also in Cài đặt → Sao lưu).
	pass *passphraseFields
	// askPass asks for the backup passphrase (tests replace it).
	askPass func(title string, done func(string))

	// With Options.Servers: where the office's data lives. mode is "Một
	// máy" (this PC, the default) or "Nhiều máy" (a PostgreSQL server,
	// whose connection server asks for; useServer connects this desk).
	mode      *widget.RadioGroup
	server    *serverForm
	useServer *widget.Button
	// local is what only a new office needs (agency, administrator,
	// backup passphrase, the buttons): hidden while a server is chosen.
	local, buttons, serverBox fyne.CanvasObject
}

// The two answers of "Dữ liệu của cơ quan".
func storeChoices() (oneDesk, server string) {
	return lang.L("Một máy — dữ liệu nằm trên máy này"), lang.L("Nhiều máy — máy chủ PostgreSQL")
}

func levelLabel(l app.AgencyLevel) string {
	switch l {
	case app.LevelProvince:
		return lang.L("UBND tỉnh")
	case app.LevelDepartment:
		return lang.L("Sở, ban, ngành")
	case app.LevelCommune:
		return lang.L("UBND xã, phường, đặc khu")
	}
	return lang.L("Cơ quan khác")
}

var agencyLevels = []app.AgencyLevel{app.LevelCommune, app.LevelDepartment, app.LevelProvince, app.LevelOther}

func (u *UI) showSetup() {
	s := newSetupScreen(u)
	u.win.SetTitle(lang.L("Một Cửa — Thiết lập lần đầu"))
	u.win.SetContent(s.view)
	u.win.Canvas().Focus(s.name.entry)
}

func newSetupScreen(u *UI) *setupScreen {
	s := &setupScreen{u: u}
	s.name = newField("name", lang.L("Tên cơ quan"), newEntry(), required(lang.L("Nhập tên cơ quan, đơn vị")))
	s.name.entry.SetPlaceHolder(lang.L("ví dụ: UBND xã Tân Lập"))
	s.governing = newField("governing_body", lang.L("Cơ quan chủ quản"), newEntry(), required(lang.L("Nhập tên cơ quan chủ quản")))
	s.governing.entry.SetPlaceHolder(lang.L("ví dụ: UBND TỈNH THANH HÓA"))
	s.code = newField("code", lang.L("Mã định danh"), newEntry(), func(v string) (string, error) {
		return "", plain(app.ValidAgencyCode(app.NFC(v)))
	})
	s.code.entry.SetPlaceHolder("000.00.01.H22")
	s.place = newField("place", lang.L("Địa danh"), newEntry(), required(lang.L("Nhập địa danh (dùng ở dòng ngày tháng)")))
	s.place.entry.SetPlaceHolder(lang.L("ví dụ: Tân Lập"))
	s.level = newChoice(agencyLevels, levelLabel, nil)
	s.level.set(app.LevelCommune)
	s.address = newField("address", lang.L("Địa chỉ"), newEntry(), nil)
	s.phone = newField("phone", lang.L("Điện thoại"), newEntry(), optional(app.CheckPhone))
	s.hours = newHoursEditor(app.DefaultOfficeHours())

	s.username = newField("username", lang.L("Tên đăng nhập"), newEntry(), required(lang.L("Nhập tên đăng nhập")))
	s.fullName = newField("full_name", lang.L("Họ và tên"), newEntry(), required(lang.L("Nhập họ và tên")))
	s.title = newField("title", lang.L("Chức vụ"), newEntry(), nil)
	s.pw1 = newField("password", lang.L("Mật khẩu"), newPasswordEntry(), func(v string) (string, error) {
		return "", plain(app.CheckNewPassword(v))
	})
	s.pw2 = newField("password2", lang.L("Nhập lại mật khẩu"), newPasswordEntry(), func(v string) (string, error) {
		if v != s.pw1.entry.Text {
			return "", errors.New(lang.L("Hai lần nhập mật khẩu không khớp"))
		}
		return "", nil
	})
	s.pw2.entry.OnSubmitted = func(string) { s.submit() }

	levelField := newInputField("level", lang.L("Cấp"), s.level.sel)
	hoursField := newInputField("hours", lang.L("Giờ làm việc"), s.hours.view)
	agencyFields := fieldSet{s.name, s.governing, s.code, s.place, levelField, s.address, s.phone, hoursField}
	adminFields := fieldSet{s.username, s.fullName, s.title, s.pw1, s.pw2}
	s.counter = widget.NewCheck(lang.L("Người này cũng tiếp nhận, xử lý và trình ký hồ sơ (xã nhỏ, một hai cán bộ)"), nil)
	s.counter.SetChecked(true)
	s.fields = append(append(fieldSet{}, agencyFields...), adminFields...)

	s.errLine = errorLine()
	s.save = widget.NewButtonWithIcon(lang.L("Hoàn tất thiết lập"), theme.ConfirmIcon(), s.submit)
	s.save.Importance = widget.HighImportance
	s.demo = widget.NewButtonWithIcon(lang.L("Dùng dữ liệu mẫu"), theme.StorageIcon(), u.useDemo)
	s.pickOpen = u.openDBFile
	s.askPass = u.askPassphrase
	s.restore = widget.NewButtonWithIcon(lang.L("Khôi phục từ tệp sao lưu…"), theme.HistoryIcon(), func() { s.pickOpen(s.restoreFrom) })

	welcome := lang.L("Chào mừng! Nhập thông tin cơ quan và tài khoản quản trị đầu tiên. Danh mục thủ tục và ngày nghỉ lễ năm nay, năm sau được nạp sẵn và có thể sửa trong Cài đặt.") + "\n" +
		lang.L("Muốn xem thử trước? \"Dùng dữ liệu mẫu\" tạo cơ quan mẫu, mỗi vai trò một tài khoản (mật khẩu \"demo\") và khoảng 60 hồ sơ ở mọi trạng thái.")
	if sv := u.opts.Servers; sv == nil || !sv.Shared() { // a server is restored with pg_restore
		welcome += "\n" + lang.L("Chuyển sang máy mới? \"Khôi phục từ tệp sao lưu\" nạp tệp dữ liệu cơ quan đã xuất (hoặc một bản sao lưu) từ máy cũ.")
	}
	intro := widget.NewLabel(welcome)
	intro.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle(lang.L("Thiết lập lần đầu"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText

	agency := widget.NewCard(lang.L("Cơ quan"), "", agencyFields.grid())
	admin := widget.NewCard(lang.L("Quản trị viên"), lang.L("Mật khẩu ít nhất 8 ký tự"), container.NewVBox(adminFields.grid(), s.counter))
	s.pass = newPassphraseFields()
	backup := widget.NewCard(lang.L("Mật khẩu sao lưu"), lang.L("Có thể đặt sau trong Cài đặt → Sao lưu; chưa đặt thì chưa sao lưu được"), s.pass.view)
	s.local = container.NewVBox(agency, admin, backup)
	s.buttons = container.NewVBox(s.errLine, container.NewBorder(nil, nil, container.NewHBox(s.demo, s.restore), s.save))
	cols := container.NewVBox(s.local)
	if card := s.storeCard(); card != nil {
		cols.Objects = []fyne.CanvasObject{card, s.local}
	}
	scroll := container.NewVScroll(container.NewPadded(cols))
	s.view = container.NewBorder(container.NewVBox(title, intro), container.NewPadded(s.buttons), nil, nil, scroll)
	if s.server != nil {
		s.server.reveal = scroll.ScrollToBottom // server mode: the card is all there is
	}
	return s
}

// storeCard is "Dữ liệu của cơ quan": one desk or a server (nil without
// Options.Servers).
func (s *setupScreen) storeCard() fyne.CanvasObject {
	sv := s.u.opts.Servers
	if sv == nil {
		return nil
	}
	title := lang.L("Dữ liệu của cơ quan")
	if sv.Shared() {
		// Connected to an empty database: this desk sets the office up there.
		s.restore.Hide() // a server is restored with pg_restore (README)
		l := widget.NewLabel(lang.L("Nhiều máy — máy chủ PostgreSQL. Cơ sở dữ liệu trên máy chủ còn trống: thiết lập cơ quan ở đây; các máy khác chọn cùng máy chủ rồi đăng nhập."))
		l.Wrapping = fyne.TextWrapWord
		return widget.NewCard(title, "", l)
	}
	oneDesk, server := storeChoices()
	s.server = newServerForm(s.u)
	s.server.relayout = func() {
		if s.view != nil {
			s.view.Refresh()
		}
	}
	s.useServer = widget.NewButtonWithIcon(lang.L("Dùng máy chủ này"), theme.ConfirmIcon(), s.connect)
	s.useServer.Importance = widget.HighImportance
	s.useServer.Disable()
	s.server.onTested = func(info *app.ServerInfo, _ error) {
		if info != nil {
			s.useServer.Enable()
		} else {
			s.useServer.Disable()
		}
	}
	s.serverBox = container.NewVBox(s.server.view, container.NewHBox(s.useServer))
	s.serverBox.Hide()
	s.mode = widget.NewRadioGroup([]string{oneDesk, server}, func(v string) { s.setServerMode(v == server) })
	s.mode.Required = true
	s.mode.SetSelected(oneDesk)
	return widget.NewCard(title, lang.L("Một máy: không cần máy chủ. Nhiều máy (nhiều quầy, chuyên viên, lãnh đạo cùng làm): mọi máy dùng chung một cơ sở dữ liệu PostgreSQL."),
		container.NewVBox(s.mode, s.serverBox))
}

// setServerMode shows the server's connection instead of the new office.
func (s *setupScreen) setServerMode(server bool) {
	if s.serverBox == nil || s.local == nil || s.buttons == nil {
		return
	}
	for _, o := range []fyne.CanvasObject{s.local, s.buttons} {
		if server {
			o.Hide()
		} else {
			o.Show()
		}
	}
	if server {
		s.serverBox.Show()
		s.u.win.Canvas().Focus(s.server.host.entry)
	} else {
		s.serverBox.Hide()
	}
	if s.view != nil {
		s.view.Refresh() // lay the card and the page out again at their new sizes
	}
}

// connect keeps the tested server for this desk and opens it: a database
// that already holds the office (set up at another desk) goes to the
// sign-in screen; an empty one to the rest of the wizard.
func (s *setupScreen) connect() {
	c, ok := s.server.conn()
	if !ok || s.server.info == nil {
		return
	}
	s.useServer.Disable()
	s.server.setAnswer(lang.L("Đang kết nối…"), true)
	runAsync(func() {
		svc, err := s.u.opts.Servers.Use(c)
		s.u.do(func() {
			if err != nil {
				logrus.WithError(err).Error("use server")
				s.server.setAnswer(message(err), false)
				s.useServer.Enable()
				return
			}
			s.u.reopened(svc)
			ok, err := s.u.svc.IsSetUp()
			switch {
			case err != nil:
				s.server.setAnswer(message(err), false)
			case ok:
				logrus.Info("joined the office on the server")
				s.u.showSignIn()
				name := ""
				if a, err := s.u.svc.Agency(); err == nil {
					name = a.Name
				}
				s.u.info(lang.L("Đã kết nối máy chủ"), fmt.Sprintf(lang.L("Máy này dùng chung dữ liệu của \"%s\" trên máy chủ. Đăng nhập bằng tài khoản được cấp cho bạn (quản trị tạo tài khoản trong Cài đặt → Người dùng)."), name))
			default:
				s.u.showSetup()
			}
		})
	})
}

func (s *setupScreen) submit() {
	setErrorLine(s.errLine, "")
	if err := s.fields.validate(); err != nil {
		setErrorLine(s.errLine, lang.L("Vui lòng kiểm tra các ô được đánh dấu"))
		return
	}
	hours, err := s.hours.value()
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	pass := ""
	if !s.pass.empty() {
		if pass, err = s.pass.value(); err != nil {
			setErrorLine(s.errLine, err.Error())
			return
		}
		if score, _ := app.PassphraseStrength(pass); score < app.MinPassphraseScore {
			setErrorLine(s.errLine, lang.L("Mật khẩu sao lưu quá yếu: dùng ít nhất 10 ký tự, nên là vài từ dễ nhớ xen chữ số"))
			return
		}
	}
	level, _ := s.level.value()
	in := app.SetupInput{
		Agency: app.Agency{Code: s.code.text(), Name: s.name.text(), GoverningBody: s.governing.text(), Place: s.place.text(),
			Level: level, Address: s.address.text(), Phone: s.phone.text(), Hours: hours},
		Admin: app.UserInput{Username: s.username.text(), FullName: s.fullName.text(), Title: s.title.text(),
			Password: s.pw1.entry.Text, Roles: []app.Role{app.RoleAdmin}},
	}
	if s.counter.Checked {
		in.Admin.Roles = app.AllRoles()
	}
	usr, err := s.u.svc.Setup(in)
	if err != nil {
		rest := s.fields.apply(err)
		msg := message(err)
		if len(rest) > 0 {
			msg += ": " + rest[0]
		}
		setErrorLine(s.errLine, msg)
		return
	}
	logrus.WithField("agency", in.Agency.Code).Info("office set up")
	if pass != "" {
		if err := s.u.svc.SetBackupPassphrase(usr, pass); err != nil {
			logrus.WithError(err).Error("backup passphrase")
			s.u.showError(err)
		}
	}
	s.u.signedIn(usr)
	next := lang.L("Bước tiếp theo: thêm tài khoản cho các cán bộ khác trong Cài đặt → Người dùng.")
	if !s.counter.Checked {
		next = lang.L("Tài khoản này chỉ quản trị. Để tiếp nhận hồ sơ, thêm tài khoản cán bộ một cửa (và chuyên viên, lãnh đạo) trong Cài đặt → Người dùng, rồi đăng nhập bằng tài khoản đó.")
	}
	s.u.info(lang.L("Đã thiết lập xong"), next)
}

// restoreFrom imports an exported office (or a backup) on a new computer:
// verified, restored into the data folder, then the sign-in screen.
func (s *setupScreen) restoreFrom(path string) {
	setErrorLine(s.errLine, "")
	// The file is opened (decrypted with the passphrase) and checked first: a
	// wrong passphrase or a damaged file changes nothing.
	s.u.openBackup(path, s.askPass, s.errLine, func(plain string, legacy bool) {
		if legacy {
			s.u.info(lang.L("Khôi phục dữ liệu"), legacyWarning())
		}
		s.restoreOpened(path, plain)
	})
}

func (s *setupScreen) restoreOpened(path, plain string) {
	s.u.restoreOpened(path, plain, func(err error) {
		if err != nil {
			setErrorLine(s.errLine, message(err))
			return
		}
		if ok, _ := s.u.svc.IsSetUp(); ok {
			s.u.showSignIn()
		} else {
			s.u.showSetup()
		}
	})
}

// hoursEditor edits office hours: a morning and an afternoon period.
type hoursEditor struct {
	from, to [2]*widget.Entry
	view     fyne.CanvasObject
}

func newHoursEditor(h app.OfficeHours) *hoursEditor {
	e := &hoursEditor{}
	row := []fyne.CanvasObject{}
	for i := range 2 {
		e.from[i], e.to[i] = widget.NewEntry(), widget.NewEntry()
		e.from[i].SetPlaceHolder("07:00")
		e.to[i].SetPlaceHolder("11:30")
		if i < len(h) {
			e.from[i].SetText(h[i].Start.String())
			e.to[i].SetText(h[i].End.String())
		}
		lbl := lang.L("Sáng")
		if i == 1 {
			lbl = lang.L("Chiều")
		}
		row = append(row, widget.NewLabel(lbl), container.New(fixedWidth(80), e.from[i]), widget.NewLabel("–"), container.New(fixedWidth(80), e.to[i]))
	}
	e.view = container.NewHBox(row...)
	return e
}

func (e *hoursEditor) set(h app.OfficeHours) {
	for i := range 2 {
		from, to := "", ""
		if i < len(h) {
			from, to = h[i].Start.String(), h[i].End.String()
		}
		e.from[i].SetText(from)
		e.to[i].SetText(to)
	}
}

// value parses the periods; an empty afternoon means a single period.
func (e *hoursEditor) value() (app.OfficeHours, error) {
	var h app.OfficeHours
	for i := range 2 {
		if e.from[i].Text == "" && e.to[i].Text == "" {
			continue
		}
		a, err := app.ParseClock(e.from[i].Text)
		if err != nil {
			return nil, err
		}
		b, err := app.ParseClock(e.to[i].Text)
		if err != nil {
			return nil, err
		}
		h = append(h, app.Interval{Start: a, End: b})
	}
	return h, h.Validate()
}
