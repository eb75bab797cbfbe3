package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// usersTab lists the officials and edits one: roles, unit, password reset.
type usersTab struct {
	u     *UI
	users []app.User
	list  *widget.List

	isNew                                        bool
	username, fullName, title, unit, phone, pass *field
	roles                                        *widget.CheckGroup
	disabled                                     *widget.Check
	fields                                       fieldSet
	errLine                                      *widget.Label
	save, reset                                  *widget.Button
	root                                         fyne.CanvasObject
}

func newUsersTab(u *UI) *usersTab {
	t := &usersTab{u: u}
	t.list = widget.NewList(func() int { return len(t.users) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			x := t.users[i]
			text := fmt.Sprintf("%s (%s) — %s", x.FullName, x.Username, roleLabels(x.Roles))
			if x.Disabled {
				text += " · " + lang.L("đã khóa")
			}
			o.(*widget.Label).SetText(text)
		})
	t.list.OnSelected = func(i widget.ListItemID) {
		if i < len(t.users) {
			t.edit(t.users[i])
		}
	}
	t.username = newField("username", lang.L("Tên đăng nhập"), newEntry(), required(lang.L("Nhập tên đăng nhập")))
	t.fullName = newField("full_name", lang.L("Họ và tên"), newEntry(), limited(app.MaxPersonName, required(lang.L("Nhập họ và tên"))))
	t.title = newField("title", lang.L("Chức vụ"), newEntry(), limited(app.MaxLine, nil))
	t.unit = newField("unit", lang.L("Đơn vị"), newEntry(), limited(app.MaxLine, nil))
	t.phone = newField("phone", lang.L("Điện thoại"), newEntry(), optional(app.CheckPhone))
	t.pass = newField("password", lang.L("Mật khẩu"), newPasswordEntry(), func(v string) (string, error) {
		if !t.isNew && v == "" {
			return "", nil
		}
		return "", plain(app.CheckNewPassword(v))
	})
	var labels []string
	for _, r := range app.AllRoles() {
		labels = append(labels, lang.L(r.Label()))
	}
	t.roles = widget.NewCheckGroup(labels, nil)
	t.roles.Horizontal = true
	t.disabled = widget.NewCheck(lang.L("Khóa tài khoản"), nil)
	rolesField := newInputField("roles", lang.L("Vai trò"), t.roles)
	t.fields = fieldSet{t.username, t.fullName, t.title, t.unit, t.phone, rolesField, t.pass}
	t.errLine = errorLine()
	t.save = widget.NewButtonWithIcon(lang.L("Lưu người dùng"), theme.DocumentSaveIcon(), t.submit)
	t.save.Importance = widget.HighImportance
	t.reset = widget.NewButtonWithIcon(lang.L("Đặt lại mật khẩu"), theme.ViewRefreshIcon(), t.askReset)
	add := widget.NewButtonWithIcon(lang.L("Thêm người dùng"), theme.ContentAddIcon(), func() {
		t.list.UnselectAll()
		t.edit(app.User{Roles: []app.Role{app.RoleReceiver}})
	})
	form := container.NewVBox(t.fields.grid(), t.disabled, t.errLine, container.NewHBox(t.save, t.reset))
	split := container.NewHSplit(container.NewBorder(container.NewHBox(add), nil, nil, nil, t.list), formScroll(form))
	split.SetOffset(0.4)
	t.root = split
	t.edit(app.User{Roles: []app.Role{app.RoleReceiver}})
	return t
}

func (t *usersTab) load() {
	us, err := t.u.svc.Users()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	t.users = us
	t.list.Refresh()
}

func (t *usersTab) edit(x app.User) {
	t.isNew = x.Username == ""
	setErrorLine(t.errLine, "")
	t.username.entry.SetText(x.Username)
	if t.isNew {
		t.username.entry.Enable()
		t.pass.entry.SetPlaceHolder("")
		t.reset.Disable()
	} else {
		t.username.entry.Disable()
		t.pass.entry.SetPlaceHolder(lang.L("Để trống: giữ mật khẩu hiện tại"))
		t.reset.Enable()
	}
	t.fullName.entry.SetText(x.FullName)
	t.title.entry.SetText(x.Title)
	t.unit.entry.SetText(x.Unit)
	t.phone.entry.SetText(x.Phone)
	t.pass.entry.SetText("")
	var sel []string
	for _, r := range x.Roles {
		sel = append(sel, lang.L(r.Label()))
	}
	t.roles.SetSelected(sel)
	t.disabled.SetChecked(x.Disabled)
	t.fields.clear()
}

func (t *usersTab) selectedRoles() []app.Role {
	var out []app.Role
	for _, r := range app.AllRoles() {
		if slices.Contains(t.roles.Selected, lang.L(r.Label())) {
			out = append(out, r)
		}
	}
	return out
}

func (t *usersTab) submit() {
	setErrorLine(t.errLine, "")
	if t.fields.validate() != nil {
		setErrorLine(t.errLine, lang.L("Vui lòng kiểm tra các ô được đánh dấu"))
		return
	}
	in := app.UserInput{Username: t.username.text(), FullName: t.fullName.text(), Title: t.title.text(), Unit: t.unit.text(),
		Phone: t.phone.text(), Roles: t.selectedRoles(), Password: t.pass.entry.Text, Disabled: t.disabled.Checked}
	if err := t.u.svc.SaveUser(t.u.user, in); err != nil {
		rest := t.fields.apply(err)
		msg := message(err)
		if len(rest) > 0 {
			msg += ": " + strings.Join(rest, "; ")
		}
		setErrorLine(t.errLine, msg)
		return
	}
	t.load()
	for i, x := range t.users {
		if x.Username == strings.ToLower(in.Username) {
			t.list.Select(i)
		}
	}
	t.u.info(lang.L("Người dùng"), fmt.Sprintf(lang.L("Đã lưu người dùng %s"), in.FullName))
}

func (t *usersTab) askReset() {
	name := t.username.text()
	if name == "" {
		return
	}
	p1 := newField("password", lang.L("Mật khẩu mới"), newPasswordEntry(), func(v string) (string, error) { return "", plain(app.CheckNewPassword(v)) })
	p2 := newField("password2", lang.L("Nhập lại"), newPasswordEntry(), func(v string) (string, error) {
		if v != p1.entry.Text {
			return "", errors.New(lang.L("Hai lần nhập mật khẩu không khớp"))
		}
		return "", nil
	})
	t.u.formDialog(fmt.Sprintf(lang.L("Đặt lại mật khẩu cho %s"), name), lang.L("Đặt lại mật khẩu"), fieldSet{p1, p2}, func() error {
		return t.u.svc.ResetPassword(t.u.user, name, p1.entry.Text)
	})
}
