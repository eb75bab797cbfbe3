package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// placed is a widget drawn on the canvas with its absolute rectangle.
type placed struct {
	o        fyne.CanvasObject
	pos      fyne.Position
	size     fyne.Size
	clipTop  float32 // the visible band of the enclosing scroll
	clipBott float32
}

func (p placed) String() string {
	name := fmt.Sprintf("%T", p.o)
	switch w := p.o.(type) {
	case *widget.Label:
		name += " " + w.Text
	case *widget.Button:
		name += " " + w.Text
	case *widget.Check:
		name += " " + w.Text
	case *entry:
		name += " [" + w.PlaceHolder + "]"
	case *widget.Entry:
		name += " [" + w.PlaceHolder + "]"
	}
	return fmt.Sprintf("%s at %.0f,%.0f %.0f×%.0f", name, p.pos.X, p.pos.Y, p.size.Width, p.size.Height)
}

// leafWidgets lists the visible widgets under o without entering the
// widgets themselves (only containers and scrolls), with absolute positions.
func leafWidgets(o fyne.CanvasObject, at fyne.Position, top, bottom float32) []placed {
	if !o.Visible() {
		return nil
	}
	at = at.Add(o.Position())
	switch c := o.(type) {
	case *fyne.Container:
		var out []placed
		for _, k := range c.Objects {
			out = append(out, leafWidgets(k, at, top, bottom)...)
		}
		return out
	case *container.Scroll:
		return leafWidgets(c.Content, at, max(top, at.Y), min(bottom, at.Y+c.Size().Height))
	case fyne.Widget:
		if o.Size().Width <= 0 || o.Size().Height <= 0 {
			return nil
		}
		return []placed{{o: o, pos: at, size: o.Size(), clipTop: top, clipBott: bottom}}
	}
	return nil
}

// overlaps lists the pairs of widgets drawn over each other.
func overlaps(root fyne.CanvasObject) []string {
	ws := leafWidgets(root, fyne.NewPos(-root.Position().X, -root.Position().Y), -1e9, 1e9)
	var out []string
	const slack = 1 // shared borders
	// a scroll shows only its band: clip each widget to it
	vis := ws[:0]
	for _, w := range ws {
		y0, y1 := max(w.pos.Y, w.clipTop), min(w.pos.Y+w.size.Height, w.clipBott)
		if y1-y0 <= slack {
			continue
		}
		w.pos.Y, w.size.Height = y0, y1-y0
		vis = append(vis, w)
	}
	ws = vis
	for i := range ws {
		for j := i + 1; j < len(ws); j++ {
			a, b := ws[i], ws[j]
			if a.pos.X+a.size.Width-slack > b.pos.X && b.pos.X+b.size.Width-slack > a.pos.X &&
				a.pos.Y+a.size.Height-slack > b.pos.Y && b.pos.Y+b.size.Height-slack > a.pos.Y {
				out = append(out, a.String()+"  ⨯  "+b.String())
			}
		}
	}
	return out
}

func TestReceiveChecklistDrawsOverNothingAfterReset(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	e.ui.win.Resize(fyne.NewSize(1366, 728))
	r := e.receiveScreen()
	pick := func(q string) {
		r.filter.SetText(q)
		r.filter.OnSubmitted("")
		if r.proc == nil {
			t.Fatalf("%q chose nothing", q)
		}
		test.Canvas().Refresh(r.root) // no effect on layout; like a frame drawn
	}
	check := func(when string) {
		t.Helper()
		if o := overlaps(r.root); len(o) > 0 {
			t.Errorf("%s: %d widgets overlap, e.g.\n%s", when, len(o), o[0])
		}
	}
	pick("khai sinh")
	check("first procedure")
	test.Tap(r.clear)
	pick("chung thuc ban sao")
	check("after Làm mới")
	r.reset()
	pick("ket hon")
	check("after a reset")
}

func TestCtrlEnterSubmitsAndTabLeavesMultiLineBoxes(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText("Phạm Thị Lan")
	r.idNumber.entry.SetText("038090001234")
	r.idNumber.entry.TypedShortcut(shortcutSubmit)
	if r.last == nil {
		t.Fatalf("Ctrl+Enter in a field did not receive the dossier: %q", r.errLine.Text)
	}
	closeOverlays(e)

	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.name.entry.SetText("Phạm Thị Lan")
	r.idNumber.entry.SetText("038090001234")
	test.Tap(r.refuse)
	f := e.ui.lastForm
	reason := f.fields[0].entry
	if reason.AcceptsTab() {
		t.Error("Tab types a tab character in the reason box")
	}
	reason.SetText("Không thuộc thẩm quyền")
	reason.TypedShortcut(shortcutSubmit)
	if !f.done {
		t.Fatalf("Ctrl+Enter did not submit the refusal: %q", f.errLine.Text)
	}
}

// At 1366×728 (a 1366×768 screen less the taskbar) the window's canvas is
// about 1366×680 once the title bar is drawn.
var counterCanvas = fyne.NewSize(1366, 680)

func TestReceiveFormFitsWithoutScrollingAndErrorsMoveNothing(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	e.ui.win.Resize(counterCanvas)
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	for _, n := range []string{"Sổ hộ khẩu", "Giấy đăng ký kết hôn của cha mẹ", "Văn bản ủy quyền", "CCCD của cha"} {
		r.extra.SetText(n)
		r.extra.OnSubmitted(n)
	}
	if len(r.docs) != 6 {
		t.Fatalf("%d documents", len(r.docs))
	}
	if m, s := r.left.MinSize().Height, r.leftScroll.Size().Height; m > s {
		t.Errorf("the applicant column needs %.0f px, the window gives %.0f: it scrolls", m, s)
	}
	if m, s := r.right.MinSize().Height, r.rightScroll.Size().Height; m > s {
		t.Errorf("the documents column needs %.0f px, the window gives %.0f: it scrolls", m, s)
	}

	// Every error at once, and no field moves when they appear.
	where := map[*field]fyne.Position{}
	fields := []*field{r.name, r.idNumber, r.birth, r.phone, r.email, r.addr, r.summary, r.sets}
	for _, f := range fields {
		where[f] = fyne.CurrentApp().Driver().AbsolutePositionForObject(f.input)
	}
	r.idNumber.entry.SetText("0380900012") // 10 digits
	r.phone.entry.SetText("12")
	r.addr.entry.SetText("Thôn Đông\tTân Lập") // a tab: the use case refuses it
	r.name.entry.SetText("Trần Văn Bình 😀")
	r.birth.entry.SetText("01/01/2099") // in the future: flagged on the first save
	test.Tap(r.save)
	for f, want := range map[*field]string{r.idNumber: "12 chữ số", r.phone: "Số điện thoại", r.addr: "điều khiển", r.name: "biểu tượng", r.birth: "không được sau hôm nay"} {
		if !strings.Contains(f.message(), want) {
			t.Errorf("%s: message %q, want %q (all errors on the first save)", f.name, f.message(), want)
		}
	}
	for _, f := range fields {
		if p := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.input); p != where[f] {
			t.Errorf("%s moved from %v to %v when the errors appeared", f.name, where[f], p)
		}
	}
	if o := overlaps(r.root); len(o) > 0 {
		t.Errorf("with errors shown: %s", o[0])
	}
	// A corrected field loses its old message.
	r.addr.entry.SetText("Thôn Đông, Tân Lập")
	if r.addr.message() != "" {
		t.Errorf("the corrected address still says %q", r.addr.message())
	}
}

func TestTabScrollsToTheFocusedField(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	e.ui.win.Resize(fyne.NewSize(1366, 480)) // a small window: the column scrolls
	r := e.receiveScreen()
	r.filter.SetText("khai sinh")
	r.filter.OnSubmitted("")
	r.proxy.SetChecked(true)
	c := e.ui.win.Canvas()
	c.Focus(r.name.entry)
	for i := 0; i < 12 && c.Focused() != r.proxyPhone.entry; i++ {
		c.FocusNext()
	}
	if c.Focused() != r.proxyPhone.entry {
		t.Fatal("Tab never reached the submitter's phone")
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(r.proxyPhone.entry).Y
	top := d.AbsolutePositionForObject(r.leftScroll).Y
	if y < top || y+r.proxyPhone.entry.Size().Height > top+r.leftScroll.Size().Height {
		t.Errorf("the focused field is at y=%.0f, outside the column's view %.0f–%.0f", y, top, top+r.leftScroll.Size().Height)
	}
}

func TestArrowsMoveThroughProcedureMatches(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	test.Type(r.filter, "khai sinh")
	if len(r.matches) < 2 {
		t.Fatalf("matches %v", r.matches)
	}
	want := r.matches[1].Code
	r.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	r.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	r.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	r.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if len(r.matches) > 2 {
		want = r.matches[2].Code
	}
	r.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if r.proc == nil || r.proc.Code != want {
		t.Errorf("Down, Down, Up, Down, Enter chose %v, want %s", r.proc, want)
	}
}

func TestCtrlNShowsTheProcedureBoxAtTheTop(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	e.ui.win.Resize(fyne.NewSize(1366, 480)) // small: the column scrolls
	r := e.receiveScreen()
	r.proxy.SetChecked(true)
	r.leftScroll.ScrollToBottom()
	if r.leftScroll.Offset.Y == 0 {
		t.Fatal("the column did not scroll")
	}
	e.ui.shell.newReceipt() // Ctrl+N
	if e.ui.win.Canvas().Focused() != r.filter {
		t.Errorf("Ctrl+N focused %T", e.ui.win.Canvas().Focused())
	}
	if r.leftScroll.Offset.Y != 0 {
		t.Errorf("the procedure box is scrolled out of view (offset %.0f)", r.leftScroll.Offset.Y)
	}
}
