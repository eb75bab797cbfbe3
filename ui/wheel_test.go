package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// TestWheelOverAnInputBoxScrollsTheForm: with the pointer over a box, the
// mouse wheel scrolls the receive form's column, as it does between boxes;
// a tap on the box still focuses it.
func TestWheelOverAnInputBoxScrollsTheForm(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	e.ui.win.Resize(fyne.NewSize(1366, 480)) // small: the column scrolls
	r := e.receiveScreen()
	r.proxy.SetChecked(true)
	c := e.ui.win.Canvas()
	d := fyne.CurrentApp().Driver()
	for _, f := range []*field{r.name, r.addr} {
		r.leftScroll.ScrollToTop()
		p := d.AbsolutePositionForObject(f.entry).Add(fyne.NewPos(10, 10))
		test.Scroll(c, p, 0, -60)
		if r.leftScroll.Offset.Y <= 0 {
			t.Errorf("the wheel over %q left the column at offset %.0f", f.label, r.leftScroll.Offset.Y)
		}
	}
	// The catcher answers the wheel only: a click, a drag, the hover and
	// the cursor still find the entry under it.
	var catcher fyne.CanvasObject = &wheelCatcher{}
	for name, takes := range map[string]bool{
		"tap":    is[fyne.Tappable](catcher),
		"focus":  is[fyne.Focusable](catcher),
		"drag":   is[fyne.Draggable](catcher),
		"hover":  is[desktop.Hoverable](catcher),
		"cursor": is[desktop.Cursorable](catcher),
		"mouse":  is[desktop.Mouseable](catcher),
	} {
		if takes {
			t.Errorf("the wheel catcher takes the %s from the entry", name)
		}
	}
}

func is[T any](o any) bool { _, ok := o.(T); return ok }
