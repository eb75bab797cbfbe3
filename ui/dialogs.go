package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// formDlg is a dialog of validated fields. It stays open when the use case
// refuses the input: the Vietnamese message goes under the fields, and each
// field error next to its field. Enter in a one-line field submits.
type formDlg struct {
	u       *UI
	dlg     dialog.Dialog
	fields  fieldSet
	errLine *widget.Label
	submit  *keyButton
	cancel  *keyButton
	do      func() error
	done    bool
	// after runs once the dialog has closed on success: dialogs the use
	// case opened (the print offer) must come after the form has gone, as
	// hiding an overlay also removes every overlay shown above it.
	after []func()
}

// formDialog shows fields with a submit button labelled action; do runs the
// use case and returns its error.
func (u *UI) formDialog(title, action string, fields fieldSet, do func() error, extra ...fyne.CanvasObject) *formDlg {
	f := &formDlg{u: u, fields: fields, do: do, errLine: errorLine()}
	// Enter and Esc work on the buttons too (Tab reaches them, a click on
	// a list or a choice leaves the focus outside the boxes).
	hide := func() { f.dlg.Hide() }
	f.submit = newKeyButton(action, theme.ConfirmIcon(), f.trySubmit, hide)
	f.submit.Importance = widget.HighImportance
	f.cancel = newKeyButton(lang.L("Hủy"), theme.CancelIcon(), hide, hide)
	for _, fl := range fields {
		if fl.entry != nil && !fl.entry.MultiLine {
			fl.entry.OnSubmitted = func(string) { f.trySubmit() }
		}
		if fl.entry != nil {
			fl.entry.onCtrlEnter = f.trySubmit
			fl.entry.onEsc = func() { f.dlg.Hide() }
		}
	}
	body := container.NewVBox()
	for _, o := range extra {
		body.Add(o)
	}
	body.Add(fields.grid())
	body.Add(f.errLine)
	content := container.New(fixedWidth(560), body)
	f.dlg = dialog.NewCustomWithoutButtons(title, content, u.win)
	f.dlg.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{f.cancel, f.submit})
	f.dlg.Show()
	for _, fl := range fields {
		if fl.entry != nil {
			u.win.Canvas().Focus(fl.entry)
			break
		}
	}
	u.lastForm = f
	return f
}

func (f *formDlg) trySubmit() {
	setErrorLine(f.errLine, "")
	if err := f.fields.validate(); err != nil {
		setErrorLine(f.errLine, lang.L("Vui lòng kiểm tra các ô được đánh dấu"))
		return
	}
	f.u.submitting = f
	err := f.do()
	f.u.submitting = nil
	if err != nil {
		f.after = nil
		rest := f.fields.apply(err)
		msg := message(err)
		if len(rest) > 0 && !strings.Contains(msg, rest[0]) {
			msg += ": " + strings.Join(rest, "; ")
		}
		setErrorLine(f.errLine, msg)
		return
	}
	f.done = true
	f.dlg.Hide()
	after := f.after
	f.after = nil
	for _, fn := range after {
		fn()
	}
}

// afterForm runs fn now, or, while a form dialog is submitting, once that
// dialog has closed.
func (u *UI) afterForm(fn func()) {
	if f := u.submitting; f != nil {
		f.after = append(f.after, fn)
		return
	}
	fn()
}

// offerForm announces a saved record and offers its printed form: "In" has
// the focus, so Enter prints and Esc closes.
func (u *UI) offerForm(title, code, name string, render func() ([]byte, error)) {
	l := widget.NewLabelWithStyle(code, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	u.afterForm(func() {
		u.keyDialog(title, container.NewVBox(l), func(func()) []*keyButton {
			p, s := u.printButtons(name, render)
			kp := newKeyButton(p.Text, p.Icon, p.OnTapped, nil)
			kp.Importance = widget.HighImportance
			ks := newKeyButton(s.Text, s.Icon, s.OnTapped, nil)
			return []*keyButton{kp, ks}
		})
	})
}

// keyButton is a button that Enter presses too, and Esc answers with esc:
// dialogs focus one so that the keyboard works in them.
type keyButton struct {
	widget.Button
	esc func()
}

func newKeyButton(label string, icon fyne.Resource, tap, esc func()) *keyButton {
	b := &keyButton{esc: esc}
	b.Text, b.Icon, b.OnTapped = label, icon, tap
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if b.OnTapped != nil && !b.Disabled() {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		if b.esc != nil {
			b.esc()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// keyDialog shows content with the buttons made by buttons (given the
// dialog's close function) and a "Đóng" button; focus goes to the first
// highlighted button, or to "Đóng". Enter presses the focused button, Esc closes.
func (u *UI) keyDialog(title string, content fyne.CanvasObject, buttons func(close func()) []*keyButton) dialog.Dialog {
	var d *dialog.CustomDialog
	hide := func() { d.Hide() }
	closeB := newKeyButton(lang.L("Đóng"), theme.CancelIcon(), hide, hide)
	var bs []*keyButton
	if buttons != nil {
		bs = buttons(hide)
	}
	objs := []fyne.CanvasObject{closeB}
	for _, b := range bs {
		if b.esc == nil {
			b.esc = hide
		}
		objs = append(objs, b)
	}
	d = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.SetButtons(objs)
	d.Show()
	focus := closeB
	for _, b := range bs {
		if b.Importance == widget.HighImportance && !b.Disabled() {
			focus = b
			break
		}
	}
	u.win.Canvas().Focus(focus)
	if u.idle != nil {
		// the program moved the focus, not the official: no activity
		u.idle.sig = focusOf(u.win.Canvas().Focused())
	}
	return d
}

// messageDialog is an information dialog that Enter and Esc close.
func (u *UI) messageDialog(title, msg string) dialog.Dialog {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	return u.keyDialog(title, container.New(fixedWidth(480), l), nil)
}

// confirm asks before a destructive action; the focus is on "Đóng", so
// Enter and Esc both leave things as they are.
func (u *UI) confirm(title, msg, action string, yes func()) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	u.ask(title, container.New(fixedWidth(480), l), action, widget.DangerImportance, yes, nil)
	u.lastConfirm = msg
}

// ask is confirm with any content: the action button has importance imp
// (High takes the focus, so Enter does it; any other leaves the focus on
// "Đóng"); no, when given, runs when the dialog closes without the action
// (Đóng, Esc).
func (u *UI) ask(title string, content fyne.CanvasObject, action string, imp widget.Importance, yes, no func()) dialog.Dialog {
	answered := false
	d := u.keyDialog(title, content, func(hide func()) []*keyButton {
		b := newKeyButton(action, theme.ConfirmIcon(), func() { answered = true; hide(); yes() }, nil)
		b.Importance = imp
		return []*keyButton{b}
	})
	if no != nil {
		d.SetOnClosed(func() {
			if !answered {
				no()
			}
		})
	}
	return d
}

// askClose closes the window, asking first when the receive form holds a
// half-entered dossier.
func (u *UI) askClose() {
	if u.shell != nil {
		if rs, ok := u.shell.screens["receive"].(*receiveScreen); ok && rs.dirty() {
			u.confirm(lang.L("Thoát chương trình"), lang.L("Hồ sơ đang nhập ở màn hình Tiếp nhận chưa được lưu. Thoát và bỏ những gì đã nhập?"),
				lang.L("Thoát"), u.win.Close)
			return
		}
	}
	u.win.Close()
}
