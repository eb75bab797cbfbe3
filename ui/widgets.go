package ui

import (
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// entry is a widget.Entry that reports when it loses the focus, so that a
// field is checked when the officer leaves it rather than at every key.
type entry struct {
	widget.Entry
	onBlur func()
	// onCtrlEnter submits the form the entry belongs to (Ctrl+Enter works
	// in multi-line boxes too, where Enter starts a new line).
	onCtrlEnter func()
	// onEsc closes the dialog the entry is in.
	onEsc func()
	// onFocus shows the entry when it gains the focus (Tab scrolls to it).
	onFocus func()
	// onArrow moves through a list the entry filters (Up / Down).
	onArrow func(up bool)
	// wheel, when set, takes the mouse wheel over the entry (see wheelTo).
	wheel fyne.Scrollable
}

func (e *entry) FocusGained() {
	e.Entry.FocusGained()
	if e.onFocus != nil {
		e.onFocus()
	}
}

func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEsc != nil {
		e.onEsc()
		return
	}
	if (ev.Name == fyne.KeyDown || ev.Name == fyne.KeyUp) && e.onArrow != nil {
		e.onArrow(ev.Name == fyne.KeyUp)
		return
	}
	e.Entry.TypedKey(ev)
}

// AcceptsTab is false: Tab moves to the next field, also from a multi-line
// box (a tab character has no use in a dossier).
func (e *entry) AcceptsTab() bool { return false }

// TypedShortcut catches Ctrl+Enter; a focused entry receives every shortcut
// before the window does.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if isCtrlEnter(s) && e.onCtrlEnter != nil {
		e.onCtrlEnter()
		return
	}
	e.Entry.TypedShortcut(s)
}

// shortcutSubmit is Ctrl+Enter.
var shortcutSubmit = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}

func isCtrlEnter(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierShortcutDefault
}

func newEntry() *entry {
	e := &entry{}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry() *entry {
	e := newEntry()
	e.Password = true
	return e
}

func newMultiLine() *entry {
	e := newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(2)
	return e
}

func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}

// field is a labelled input with its own error (or warning) line underneath.
type field struct {
	name    string // the app.FieldError name it answers to
	label   string
	input   fyne.CanvasObject
	entry   *entry // nil for selects and other inputs
	check   func(string) (warning string, err error)
	msg     *canvas.Text
	shown   bool // an error is on screen: re-check at every key
	touched bool // typed into since the last clear: check when left
}

func newField(name, label string, e *entry, check func(string) (string, error)) *field {
	f := &field{name: name, label: label, input: e, entry: e, check: check}
	e.AlwaysShowValidationError = true
	f.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	f.msg.TextSize = theme.CaptionTextSize()
	f.msg.Hide()
	if check != nil {
		e.onBlur = func() {
			if f.touched {
				f.validate()
			}
		}
	}
	prev := e.OnChanged
	e.OnChanged = func(s string) {
		if prev != nil {
			prev(s)
		}
		f.touched = true
		if f.shown {
			f.validate()
		}
	}
	return f
}

// newInputField wraps a non-entry input (a select, a check group).
func newInputField(name, label string, in fyne.CanvasObject) *field {
	f := &field{name: name, label: label, input: in}
	f.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	f.msg.TextSize = theme.CaptionTextSize()
	f.msg.Hide()
	return f
}

// text is the entry's text in NFC.
func (f *field) text() string {
	if f.entry == nil {
		return ""
	}
	return app.NFC(f.entry.Text)
}

// validate runs the check and shows its result; it returns the error.
func (f *field) validate() error {
	if f.check == nil || f.entry == nil {
		f.clear() // an error the use case gave is stale once the field changed
		return nil
	}
	warn, err := f.check(f.entry.Text)
	switch {
	case err != nil:
		f.setError(errText(err))
	case warn != "":
		f.setWarning(warn)
	default:
		f.clear()
	}
	return err
}

func (f *field) setError(msg string) {
	f.show(msg, theme.Color(theme.ColorNameError))
	if f.entry != nil {
		f.entry.SetValidationError(errors.New(msg))
	}
}

func (f *field) setWarning(msg string) {
	f.show(msg, theme.Color(theme.ColorNameWarning))
	if f.entry != nil {
		f.entry.SetValidationError(nil)
	}
}

func (f *field) show(msg string, c color.Color) {
	f.msg.Text, f.msg.Color = msg, c
	f.msg.Show()
	f.msg.Refresh()
	f.shown = true
}

func (f *field) clear() {
	f.shown, f.touched = false, false
	if f.msg.Text != "" || f.msg.Visible() {
		f.msg.Text = ""
		f.msg.Hide()
		f.msg.Refresh()
	}
	if f.entry != nil {
		f.entry.SetValidationError(nil)
	}
}

// message shown under the field ("" when none).
func (f *field) message() string { return f.msg.Text }

// fieldSet is the fields of one form: it lays them out and spreads the
// per-field errors of an *app.Error over them.
type fieldSet []*field

// grid lays the fields out as label | input rows.
func (fs fieldSet) grid() *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, 2*len(fs))
	for _, f := range fs {
		l := widget.NewLabel(f.label)
		l.Alignment = fyne.TextAlignTrailing
		objs = append(objs, l, f.cell())
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// validate checks every field and returns the first error.
func (fs fieldSet) validate() error {
	var first error
	for _, f := range fs {
		if err := f.validate(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// apply shows the field errors of err; it returns the messages that matched
// no field (so the caller can show them elsewhere).
func (fs fieldSet) apply(err error) []string {
	var rest []string
	for _, fe := range fieldErrors(err) {
		matched := false
		for _, f := range fs {
			if f.name != "" && (f.name == fe.Field || strings.HasSuffix(fe.Field, "."+f.name) && !strings.Contains(f.name, ".")) {
				f.setError(render(fe.Message()))
				matched = true
				break
			}
		}
		if !matched {
			rest = append(rest, render(fe.Message()))
		}
	}
	return rest
}

func (fs fieldSet) clear() {
	for _, f := range fs {
		f.clear()
	}
}

// required is a check that refuses blank text.
func required(msg string) func(string) (string, error) {
	return func(s string) (string, error) {
		if app.NFC(s) == "" {
			return "", errors.New(msg)
		}
		return "", nil
	}
}

// limited is check (nil: none) followed by the app's limits for one line of
// at most max letters (no control character, no emoji), so that the message
// shows when the official leaves the box rather than at the save.
func limited(max int, check func(string) (string, error)) func(string) (string, error) {
	return limitedBy(func(s string) error { return app.CheckText(s, max) }, check)
}

// limitedLines is limited for a box of several lines.
func limitedLines(max int, check func(string) (string, error)) func(string) (string, error) {
	return limitedBy(func(s string) error { return app.CheckParagraph(s, max) }, check)
}

func limitedBy(limit func(string) error, check func(string) (string, error)) func(string) (string, error) {
	return func(s string) (string, error) {
		if check != nil {
			if w, err := check(s); err != nil || w != "" {
				return w, err
			}
		}
		if err := limit(s); err != nil {
			return "", errors.New(message(err))
		}
		return "", nil
	}
}

// optional runs check only when s is not blank.
func optional(check func(string) error) func(string) (string, error) {
	return func(s string) (string, error) {
		if strings.TrimSpace(s) == "" {
			return "", nil
		}
		return "", check(s)
	}
}

// errorLine is a red sentence at the foot of a form.
func errorLine() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setErrorLine(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// heading is a bold section title.
func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// selectOf builds a select over labelled values.
type choice[T comparable] struct {
	values []T
	labels []string
	sel    *widget.Select
}

func newChoice[T comparable](values []T, label func(T) string, onChange func(T)) *choice[T] {
	c := &choice[T]{values: values}
	for _, v := range values {
		c.labels = append(c.labels, label(v))
	}
	c.sel = newSelect(c.labels, func(s string) {
		if onChange != nil {
			if v, ok := c.value(); ok {
				onChange(v)
			}
		}
	})
	return c
}

func (c *choice[T]) value() (T, bool) {
	for i, l := range c.labels {
		if l == c.sel.Selected {
			return c.values[i], true
		}
	}
	var zero T
	return zero, false
}

func (c *choice[T]) set(v T) {
	for i, x := range c.values {
		if x == v {
			c.sel.SetSelected(c.labels[i])
			return
		}
	}
	c.sel.ClearSelected()
}

// fixedWidth lays its objects on top of each other at a fixed minimum width.
type fixedWidth float32

// sideBySide lays out two objects on one line: the second gets up to right
// units (half the line at most), the first the rest; both may shrink to
// their own minimum, so that neither widens the window.
type sideBySide struct{ right float32 }

func (l sideBySide) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			s = fyne.NewSize(s.Width+m.Width+theme.Padding(), max(s.Height, m.Height))
		}
	}
	return s
}

func (l sideBySide) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	left, right := objs[0], objs[1]
	rw := float32(0)
	if right.Visible() {
		rw = max(min(l.right, size.Width/2), right.MinSize().Width)
		right.Move(fyne.NewPos(size.Width-rw, 0))
		right.Resize(fyne.NewSize(rw, size.Height))
		rw += theme.Padding()
	}
	left.Move(fyne.NewPos(0, 0))
	left.Resize(fyne.NewSize(max(size.Width-rw, 0), size.Height))
}

func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	return fyne.NewSize(float32(w), h)
}

func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// tapBox makes any content tappable (home tiles, list shortcuts).
type tapBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapBox(content fyne.CanvasObject, onTap func()) *tapBox {
	t := &tapBox{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapBox) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

func (t *tapBox) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

func (t *tapBox) Cursor() desktop.Cursor { return desktop.PointerCursor }

// newSelect is widget.NewSelect with a Vietnamese placeholder (Fyne's
// "(Select one)" is not translated).
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = lang.L("(Chọn)")
	return s
}
