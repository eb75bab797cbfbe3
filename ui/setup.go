package ui

import (
	"errors"

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
	s.restore = widget.NewButtonWithIcon(lang.L("Khôi phục từ tệp sao lưu…"), theme.HistoryIcon(), func() { s.pickOpen(s.restoreFrom) })

	intro := widget.NewLabel(lang.L("Chào mừng! Nhập thông tin cơ quan và tài khoản quản trị đầu tiên. Danh mục thủ tục và ngày nghỉ lễ năm nay, năm sau được nạp sẵn và có thể sửa trong Cài đặt.") + "\n" +
		lang.L("Muốn xem thử trước? \"Dùng dữ liệu mẫu\" tạo cơ quan mẫu, mỗi vai trò một tài khoản (mật khẩu \"demo\") và khoảng 60 hồ sơ ở mọi trạng thái.") + "\n" +
		lang.L("Chuyển sang máy mới? \"Khôi phục từ tệp sao lưu\" nạp tệp dữ liệu cơ quan đã xuất (hoặc một bản sao lưu) từ máy cũ."))
	intro.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle(lang.L("Thiết lập lần đầu"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText

	agency := widget.NewCard(lang.L("Cơ quan"), "", agencyFields.grid())
	admin := widget.NewCard(lang.L("Quản trị viên"), lang.L("Mật khẩu ít nhất 8 ký tự"), container.NewVBox(adminFields.grid(), s.counter))
	cols := container.NewVBox(agency, admin)
	buttons := container.NewVBox(s.errLine, container.NewBorder(nil, nil, container.NewHBox(s.demo, s.restore), s.save))
	s.view = container.NewBorder(container.NewVBox(title, intro), container.NewPadded(buttons), nil, nil,
		container.NewVScroll(container.NewPadded(cols)))
	return s
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
	// The restore checks the whole file first: a damaged one changes nothing.
	s.u.restoreFrom(path, func(err error) {
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
