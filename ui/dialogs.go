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
	submit  *widget.Button
	cancel  *widget.Button
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
	f.submit = widget.NewButtonWithIcon(action, theme.ConfirmIcon(), f.trySubmit)
	f.submit.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon(lang.L("Hủy"), theme.CancelIcon(), func() { f.dlg.Hide() })
	for _, fl := range fields {
		if fl.entry != nil && !fl.entry.MultiLine {
			fl.entry.OnSubmitted = func(string) { f.trySubmit() }
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

// offerForm announces a saved record and offers its printed form.
func (u *UI) offerForm(title, code, name string, render func() ([]byte, error)) {
	p, s := u.printButtons(name, render)
	p.Importance = widget.HighImportance
	l := widget.NewLabelWithStyle(code, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d := dialog.NewCustom(title, lang.L("Đóng"), container.NewVBox(l, container.NewCenter(container.NewHBox(p, s))), u.win)
	u.afterForm(func() {
		d.Show()
		u.win.Canvas().Focus(p)
	})
}
