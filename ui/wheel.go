package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne's Entry holds a scroller of its own, and the mouse wheel goes to the
// innermost scrollable object under the pointer: over an input box the wheel
// did nothing, and a long form did not scroll unless the pointer was between
// the boxes. A one-line entry told its form's scroller (wheelTo) draws a
// transparent wheel catcher over itself that hands the wheel on. The catcher
// takes nothing else, so taps, drags, hover and the cursor still reach the
// entry.

// wheelTo makes the wheel over every one-line entry under root scroll sc.
func wheelTo(sc fyne.Scrollable, root fyne.CanvasObject) {
	switch o := root.(type) {
	case *entry:
		if !o.MultiLine {
			o.wheel = sc
			o.Refresh()
		}
	case *fyne.Container:
		for _, c := range o.Objects {
			wheelTo(sc, c)
		}
	}
}

// CreateRenderer is the Entry's own renderer with the wheel catcher on top.
func (e *entry) CreateRenderer() fyne.WidgetRenderer {
	c := &wheelCatcher{owner: e}
	c.ExtendBaseWidget(c)
	return &entryRenderer{WidgetRenderer: e.Entry.CreateRenderer(), e: e, catcher: c}
}

type entryRenderer struct {
	fyne.WidgetRenderer
	e       *entry
	catcher *wheelCatcher
}

func (r *entryRenderer) Layout(s fyne.Size) {
	r.WidgetRenderer.Layout(s)
	r.catcher.Hidden = r.e.wheel == nil
	r.catcher.Resize(s)
	r.catcher.Move(fyne.NewPos(0, 0))
}

func (r *entryRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.catcher.Hidden = r.e.wheel == nil
}

// Objects lists the catcher last, so that it is the topmost wheel target.
func (r *entryRenderer) Objects() []fyne.CanvasObject {
	objs := r.WidgetRenderer.Objects()
	out := make([]fyne.CanvasObject, 0, len(objs)+1)
	return append(append(out, objs...), r.catcher)
}

// wheelCatcher is drawn over an entry and answers only the mouse wheel.
type wheelCatcher struct {
	widget.BaseWidget
	owner *entry
}

func (c *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (c *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) {
	if c.owner.wheel != nil {
		c.owner.wheel.Scrolled(ev)
	}
}

// formScroll is a vertical scroller over the form o (padded) that the wheel
// scrolls wherever the pointer is, over a box too.
func formScroll(o fyne.CanvasObject) *container.Scroll {
	sc := container.NewVScroll(container.NewPadded(o))
	wheelTo(sc, o)
	return sc
}
