package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// Updates is the desktop's side of updates through the hub. The application
// passes the hub client's updater (client.Updater) in Options.Updates; ui
// does not import client.
type Updates interface {
	// Update reports a newer release that was downloaded and verified.
	Update() (version, notes string, ready bool)
	// InstallUpdate starts the installer; the program then quits and the
	// installer starts it again.
	InstallUpdate() error
	// SetOnUpdate sets what to call (from any goroutine) when Update changes.
	SetOnUpdate(func())
}

// wireUpdates has the updater report its changes on Fyne's goroutine.
func (u *UI) wireUpdates() {
	if u.opts.Updates != nil {
		u.opts.Updates.SetOnUpdate(func() { u.do(u.updateChanged) })
	}
}

func (u *UI) updateChanged() {
	if u.shell != nil {
		u.shell.updateChanged()
	}
}

// newUpdateButton is the status bar's "Có phiên bản mới" (hidden until a
// verified release is ready).
func (s *shell) newUpdateButton() *widget.Button {
	b := widget.NewButtonWithIcon("", theme.DownloadIcon(), s.showUpdate)
	b.Importance = widget.HighImportance
	b.Hide()
	return b
}

// updateChanged shows or hides the status bar's button.
func (s *shell) updateChanged() {
	if s.update == nil || s.u.opts.Updates == nil {
		return
	}
	version, notes, ready := s.u.opts.Updates.Update()
	if !ready {
		s.update.Hide()
		return
	}
	text := fmt.Sprintf("%s %s", lang.L("Có phiên bản mới"), version)
	if first := firstNoteLine(notes); first != "" {
		text += " — " + first
	}
	s.update.SetText(text)
	s.update.Show()
}

func firstNoteLine(notes string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(notes), "\n")
	if r := []rune(line); len(r) > 48 {
		return string(r[:48]) + "…"
	}
	return line
}

// showUpdate shows the notes; the office administrator may install now.
func (s *shell) showUpdate() {
	u := s.u
	version, notes, ready := u.opts.Updates.Update()
	if !ready {
		return
	}
	title := fmt.Sprintf("%s %s", lang.L("Có phiên bản mới"), version)
	// Every line wraps within the dialog's width (a line that did not ran
	// over the buttons under Wine's wider font).
	line := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	body := container.NewVBox(line(notes))
	if !u.user.Has(app.RoleAdmin) {
		body.Add(line(lang.L("Quản trị viên của bộ phận cài đặt bản cập nhật.")))
		u.keyDialog(title, container.New(fixedWidth(480), body), nil)
		return
	}
	body.Add(line(lang.L("Chương trình sẽ đóng, cài phiên bản mới rồi tự mở lại. Dữ liệu được giữ nguyên.")))
	// The administrator opened this to install: the install button has the
	// focus (Enter installs, Esc closes); it says that the program restarts.
	u.ask(title, container.New(fixedWidth(480), body), lang.L("Cài đặt và khởi động lại"), widget.HighImportance, func() {
		if err := u.opts.Updates.InstallUpdate(); err != nil {
			u.showError(app.E("ui.InstallUpdate", app.KindInvalid, err.Error()))
			return
		}
		u.fa.Quit()
	}, nil)
}
