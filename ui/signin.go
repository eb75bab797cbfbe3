package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"
)

// signInScreen asks for a user name and a password.
type signInScreen struct {
	u                  *UI
	username, password *widget.Entry
	errLine            *widget.Label
	button             *widget.Button
	view               fyne.CanvasObject
}

func (u *UI) showSignIn() {
	s := newSignInScreen(u)
	u.win.SetTitle(lang.L("Một Cửa — Đăng nhập"))
	u.win.SetContent(s.view)
	u.win.Canvas().Focus(s.username)
}

func newSignInScreen(u *UI) *signInScreen {
	s := &signInScreen{u: u}
	s.username = widget.NewEntry()
	s.username.SetPlaceHolder(lang.L("Tên đăng nhập"))
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder(lang.L("Mật khẩu"))
	s.username.OnSubmitted = func(string) { u.win.Canvas().Focus(s.password) }
	s.password.OnSubmitted = func(string) { s.submit() }
	s.errLine = errorLine()
	s.button = widget.NewButtonWithIcon(lang.L("Đăng nhập"), theme.LoginIcon(), s.submit)
	s.button.Importance = widget.HighImportance

	agency := lang.L("Bộ phận tiếp nhận và trả kết quả")
	if a, err := u.svc.Agency(); err == nil {
		agency = a.Name
	}
	icon := canvas.NewImageFromResource(Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(72))
	title := widget.NewLabelWithStyle(lang.L("Một Cửa"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle(agency, fyne.TextAlignCenter, fyne.TextStyle{})
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("Tên đăng nhập")), s.username,
		widget.NewLabel(lang.L("Mật khẩu")), s.password)
	box := container.NewVBox(icon, title, sub, widget.NewSeparator(), form, s.errLine, s.button)
	s.view = container.NewCenter(container.New(fixedWidth(420), box))
	return s
}

func (s *signInScreen) submit() {
	setErrorLine(s.errLine, "")
	usr, err := s.u.svc.SignIn(s.username.Text, s.password.Text)
	if err != nil {
		logrus.WithField("user", s.username.Text).Warn("sign-in refused")
		s.password.SetText("")
		setErrorLine(s.errLine, message(err))
		s.u.win.Canvas().Focus(s.password)
		return
	}
	s.u.signedIn(usr)
}
