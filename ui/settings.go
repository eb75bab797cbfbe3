package ui

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/forms"
)

// settingsScreen holds the office settings (administrator): agency and
// hours, calendar, procedure catalogue, users; and every user's own account.
type settingsScreen struct {
	u        *UI
	tabs     *container.AppTabs
	office   *officeTab
	calendar *calendarTab
	catalog  *catalogueTab
	users    *usersTab
	backup   *backupTab
	audit    *auditTab
	server   *serverTab // one-desk office with a server port: move up
	account  *accountTab
	root     fyne.CanvasObject
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	s.account = newAccountTab(u)
	var items []*container.TabItem
	if u.user.Has(app.RoleAdmin) {
		s.office = newOfficeTab(u)
		s.calendar = newCalendarTab(u)
		s.catalog = newCatalogueTab(u)
		s.users = newUsersTab(u)
		s.backup = newBackupTab(u)
		s.audit = newAuditTab(u)
		items = append(items,
			container.NewTabItemWithIcon(lang.L("Cơ quan"), theme.HomeIcon(), s.office.root),
			container.NewTabItemWithIcon(lang.L("Lịch làm việc"), theme.CalendarIcon(), s.calendar.root),
			container.NewTabItemWithIcon(lang.L("Danh mục thủ tục"), theme.ListIcon(), s.catalog.root),
			container.NewTabItemWithIcon(lang.L("Người dùng"), theme.AccountIcon(), s.users.root),
			container.NewTabItemWithIcon(lang.L("Sao lưu"), theme.StorageIcon(), s.backup.root),
			container.NewTabItemWithIcon(lang.L("Nhật ký"), theme.HistoryIcon(), s.audit.root))
		if sv := u.opts.Servers; sv != nil && !sv.Shared() {
			s.server = newServerTab(u)
			items = append(items, container.NewTabItemWithIcon(lang.L("Máy chủ"), theme.UploadIcon(), s.server.root))
		}
	}
	items = append(items, container.NewTabItemWithIcon(lang.L("Tài khoản của tôi"), theme.LoginIcon(), s.account.root))
	s.tabs = container.NewAppTabs(items...)
	s.tabs.OnSelected = func(*container.TabItem) { s.show() }
	s.root = s.tabs
	return s
}

func (s *settingsScreen) view() fyne.CanvasObject { return s.root }

// selectTab brings a tab to the front by name: office, calendar, catalogue, users, backup, audit, server, account.
func (s *settingsScreen) selectTab(name string) {
	var c fyne.CanvasObject
	switch {
	case name == "office" && s.office != nil:
		c = s.office.root
	case name == "calendar" && s.calendar != nil:
		c = s.calendar.root
	case name == "catalogue" && s.catalog != nil:
		c = s.catalog.root
	case name == "users" && s.users != nil:
		c = s.users.root
	case name == "backup" && s.backup != nil:
		c = s.backup.root
	case name == "audit" && s.audit != nil:
		c = s.audit.root
	case name == "server" && s.server != nil:
		c = s.server.root
	default:
		c = s.account.root
	}
	for _, it := range s.tabs.Items {
		if it.Content == c {
			s.tabs.Select(it)
		}
	}
	s.show()
}

func (s *settingsScreen) show() {
	switch {
	case s.office != nil && s.tabs.Selected().Content == s.office.root:
		s.office.load()
	case s.calendar != nil && s.tabs.Selected().Content == s.calendar.root:
		s.calendar.load()
	case s.catalog != nil && s.tabs.Selected().Content == s.catalog.root:
		s.catalog.load()
	case s.users != nil && s.tabs.Selected().Content == s.users.root:
		s.users.load()
	case s.backup != nil && s.tabs.Selected().Content == s.backup.root:
		s.backup.load()
	case s.audit != nil && s.tabs.Selected().Content == s.audit.root:
		s.audit.load()
	}
}

// officeTab edits the agency, its hours and the office settings.
type officeTab struct {
	u                                                 *UI
	name, governing, code, place, address, phone      *field
	agencyLookup                                      string
	level                                             *choice[app.AgencyLevel]
	hours                                             *hoursEditor
	policy                                            *choice[app.ClockPolicy]
	dueSoon, book, hubURL, hubKey, idleMin, publicURL *field
	formSet, paper                                    *choice[string]
	language                                          *choice[string]
	fields                                            fieldSet
	errLine                                           *widget.Label
	save                                              *widget.Button
	settings                                          app.Settings
	root                                              fyne.CanvasObject
}

func newOfficeTab(u *UI) *officeTab {
	t := &officeTab{u: u}
	t.name = newField("name", lang.L("Tên cơ quan"), newEntry(), limited(app.MaxOrgName, required(lang.L("Nhập tên cơ quan, đơn vị"))))
	t.governing = newField("governing_body", lang.L("Cơ quan chủ quản"), newEntry(), limited(app.MaxOrgName, required(lang.L("Nhập tên cơ quan chủ quản"))))
	t.code = newField("code", lang.L("Mã định danh"), newEntry(), func(v string) (string, error) { return "", plain(app.ValidAgencyCode(app.NFC(v))) })
	t.code.entry.Disable() // fixed once dossiers carry it
	t.place = newField("place", lang.L("Địa danh"), newEntry(), limited(app.MaxLine, required(lang.L("Nhập địa danh (dùng ở dòng ngày tháng)"))))
	t.level = newChoice(agencyLevels, levelLabel, nil)
	t.address = newField("address", lang.L("Địa chỉ"), newEntry(), limited(app.MaxAddress, nil))
	t.phone = newField("phone", lang.L("Điện thoại"), newEntry(), optional(app.CheckPhone))
	t.hours = newHoursEditor(app.DefaultOfficeHours())
	t.policy = newChoice([]app.ClockPolicy{app.ClockRestart, app.ClockPause}, func(p app.ClockPolicy) string {
		if p == app.ClockPause {
			return lang.L("Cộng thêm thời gian tạm dừng")
		}
		return lang.L("Tính lại từ khi nhận đủ bổ sung")
	}, nil)
	t.dueSoon = newField("due_soon_hours", lang.L("Cảnh báo tới hạn trước (giờ làm việc)"), newEntry(), func(v string) (string, error) {
		n, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(v, ",", ".")), 64)
		if err != nil || n <= 0 {
			return "", errors.New(lang.L("Số giờ cảnh báo tới hạn phải lớn hơn 0"))
		}
		return "", nil
	})
	t.idleMin = newField("idle_lock_minutes", lang.L("Tự khóa sau (phút, 0 = không khóa)"), newEntry(), func(v string) (string, error) {
		_, err := parseCount(v)
		return "", err
	})
	t.hubURL = newField("hub_url", lang.L("Máy chủ liên thông"), newEntry(), nil)
	t.hubURL.entry.SetPlaceHolder("https://lienthong.example.gov.vn")
	t.hubKey = newField("hub_key", lang.L("Khóa truy cập liên thông"), newPasswordEntry(), nil)
	t.book = newField("register_book", lang.L("Quyển sổ theo dõi"), newEntry(), required(lang.L("Nhập số quyển sổ")))
	t.formSet = newChoice(forms.FormSets(), func(id string) string {
		if n := forms.FormSetName(id); n != "" {
			return n
		}
		return id
	}, nil)
	t.language = newChoice(Languages, func(l string) string {
		if l == "en" {
			return "English"
		}
		return "Tiếng Việt"
	}, nil)
	t.publicURL = newField("public_url", lang.L("Địa chỉ công khai (mã QR: …/tra-cuu?ma=)"), newEntry(), nil)
	t.publicURL.entry.SetPlaceHolder("https://dichvucong.…gov.vn")
	t.paper = newChoice([]string{"A4", "A5"}, func(p string) string { return p }, nil)
	t.fields = fieldSet{t.name, t.governing, t.code, t.place, newInputField("level", lang.L("Cấp"), t.level.sel), t.address, t.phone,
		newInputField("hours", lang.L("Giờ làm việc"), t.hours.view)}
	other := fieldSet{newInputField("clock_policy", lang.L("Khi nhận bổ sung"), t.policy.sel), t.dueSoon, t.book,
		newInputField("form_set", lang.L("Mẫu biểu"), t.formSet.sel),
		newInputField("paper", lang.L("Khổ giấy phiếu, thông báo"), t.paper.sel), t.publicURL,
		newInputField("language", lang.L("Ngôn ngữ"), t.language.sel),
		t.idleMin}
	hub := fieldSet{t.hubURL, t.hubKey}
	t.fields = append(t.fields, other...)
	t.fields = append(t.fields, hub...)
	t.errLine = errorLine()
	t.save = widget.NewButtonWithIcon(lang.L("Lưu"), theme.DocumentSaveIcon(), t.submit)
	t.save.Importance = widget.HighImportance
	cols := container.NewVBox(
		heading(lang.L("Thông tin cơ quan")), t.fields[:9].grid(), widget.NewSeparator(),
		heading(lang.L("Cài đặt chung")), other.grid(), widget.NewSeparator(),
		heading(lang.L("Liên thông")), hubHelp(), hub.grid())
	t.root = container.NewBorder(nil, container.NewBorder(nil, nil, nil, t.save, t.errLine), nil, nil, formScroll(cols))
	return t
}

func (t *officeTab) load() {
	a, err := t.u.svc.Agency()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	st, err := t.u.svc.Settings()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	t.settings = st
	t.name.entry.SetText(a.Name)
	t.governing.entry.SetText(a.GoverningBody)
	t.code.entry.SetText(a.Code)
	t.place.entry.SetText(a.Place)
	t.level.set(a.Level)
	t.address.entry.SetText(a.Address)
	t.phone.entry.SetText(a.Phone)
	t.agencyLookup = a.LookupURL // an older look-up page, kept; the public address below replaces it
	t.hours.set(a.Hours)
	t.policy.set(st.ClockPolicy)
	t.dueSoon.entry.SetText(strconv.FormatFloat(st.DueSoonHours, 'f', -1, 64))
	t.book.entry.SetText(st.RegisterBook)
	t.formSet.set(st.FormSet)
	t.paper.set(cmp.Or(st.Paper, "A4"))
	t.publicURL.entry.SetText(st.PublicURL)
	t.language.set(st.Language)
	t.idleMin.entry.SetText(strconv.Itoa(st.IdleLockMin))
	t.hubURL.entry.SetText(st.HubURL)
	t.hubKey.entry.SetText(st.HubKey)
	t.fields.clear()
}

func (t *officeTab) submit() {
	setErrorLine(t.errLine, "")
	if t.fields.validate() != nil {
		setErrorLine(t.errLine, lang.L("Vui lòng kiểm tra các ô được đánh dấu"))
		return
	}
	hours, err := t.hours.value()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	level, _ := t.level.value()
	a := app.Agency{Code: t.code.text(), Name: t.name.text(), GoverningBody: t.governing.text(), Place: t.place.text(), Level: level,
		Address: t.address.text(), Phone: t.phone.text(), Hours: hours, LookupURL: t.agencyLookup}
	st := t.settings
	st.ClockPolicy, _ = t.policy.value()
	st.DueSoonHours, _ = strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(t.dueSoon.entry.Text, ",", ".")), 64)
	st.RegisterBook = t.book.text()
	st.IdleLockMin, _ = parseCount(t.idleMin.entry.Text)
	st.FormSet, _ = t.formSet.value()
	st.Paper, _ = t.paper.value()
	st.PublicURL = t.publicURL.text()
	lng, _ := t.language.value()
	changedLang := lng != st.Language
	st.Language = lng
	st.LookupURL = a.LookupURL
	hubChanged := st.HubURL != t.hubURL.text() || st.HubKey != t.hubKey.entry.Text
	st.HubURL, st.HubKey = t.hubURL.text(), t.hubKey.entry.Text
	if err := t.u.svc.SaveAgency(t.u.user, a); err != nil {
		t.fields.apply(err)
		setErrorLine(t.errLine, message(err))
		return
	}
	if err := t.u.svc.SaveSettings(t.u.user, st); err != nil {
		t.fields.apply(err)
		setErrorLine(t.errLine, message(err))
		return
	}
	logrus.Info("office settings saved")
	t.u.agency, _ = t.u.svc.Agency()
	if changedLang && t.u.opts.Language == "" {
		if err := SetLanguage(lng); err == nil {
			t.u.signedIn(t.u.user) // rebuild every screen in the new language
			t.u.shell.go_("settings")
			return
		}
	}
	msg := lang.L("Đã lưu thông tin cơ quan và cài đặt")
	if hubChanged {
		msg += "\n" + lang.L("Kết nối liên thông mới có hiệu lực khi mở lại chương trình.")
	}
	t.u.info(lang.L("Cài đặt"), msg)
}

// accountTab lets every user change their own password.
type accountTab struct {
	u               *UI
	old, new1, new2 *field
	errLine, okLine *widget.Label
	save            *widget.Button
	root            fyne.CanvasObject
}

func newAccountTab(u *UI) *accountTab {
	t := &accountTab{u: u}
	t.old = newField("old_password", lang.L("Mật khẩu hiện tại"), newPasswordEntry(), required(lang.L("Nhập mật khẩu hiện tại")))
	t.new1 = newField("password", lang.L("Mật khẩu mới"), newPasswordEntry(), func(v string) (string, error) { return "", plain(app.CheckNewPassword(v)) })
	t.new2 = newField("password2", lang.L("Nhập lại mật khẩu mới"), newPasswordEntry(), func(v string) (string, error) {
		if v != t.new1.entry.Text {
			return "", errors.New(lang.L("Hai lần nhập mật khẩu không khớp"))
		}
		return "", nil
	})
	t.new2.entry.OnSubmitted = func(string) { t.submit() }
	t.errLine = errorLine()
	t.okLine = widget.NewLabel("")
	t.okLine.Importance = widget.SuccessImportance
	t.save = widget.NewButtonWithIcon(lang.L("Đổi mật khẩu"), theme.ConfirmIcon(), t.submit)
	t.save.Importance = widget.HighImportance
	who := widget.NewLabel(fmt.Sprintf("%s (%s) — %s", u.user.FullName, u.user.Username, roleLabels(u.user.Roles)))
	card := widget.NewCard(lang.L("Đổi mật khẩu"), "", container.NewVBox(fieldSet{t.old, t.new1, t.new2}.grid(), t.errLine, t.okLine,
		container.NewHBox(t.save)))
	t.root = container.NewVScroll(container.NewVBox(who, container.New(fixedWidth(560), card)))
	return t
}

func (t *accountTab) submit() {
	setErrorLine(t.errLine, "")
	t.okLine.SetText("")
	fs := fieldSet{t.old, t.new1, t.new2}
	if fs.validate() != nil {
		return
	}
	if err := t.u.svc.ChangePassword(t.u.user, t.old.entry.Text, t.new1.entry.Text); err != nil {
		fs.apply(err)
		setErrorLine(t.errLine, message(err))
		return
	}
	for _, f := range fs {
		f.entry.SetText("")
		f.clear()
	}
	t.okLine.SetText(lang.L("Đã đổi mật khẩu"))
}

// hubHelp says what liên thông is and how to turn it on.
func hubHelp() *widget.Label {
	l := widget.NewLabel(lang.L("Liên thông gửi và nhận hồ sơ với cơ quan khác (huyện, tỉnh) qua máy chủ liên thông. " +
		"Để bật: nhập địa chỉ máy chủ (dạng https://…) và khóa truy cập do đơn vị quản lý máy chủ cấp, bấm Lưu rồi mở lại chương trình. " +
		"Để trống nếu cơ quan làm việc độc lập."))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}
