package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fieldCell lays out an input with its message line underneath. The line's
// height is always reserved, so that fields do not move when a message
// comes or goes (a click aimed at one field would land on another).
type fieldCell struct{ msg *canvas.Text }

func msgHeight(t *canvas.Text) float32 {
	return fyne.MeasureText("Ág", t.TextSize, t.TextStyle).Height
}

func (c fieldCell) MinSize(objs []fyne.CanvasObject) fyne.Size {
	in := objs[0].MinSize()
	return fyne.NewSize(in.Width, in.Height+msgHeight(c.msg))
}

func (c fieldCell) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := msgHeight(c.msg)
	in := objs[0]
	in.Move(fyne.NewPos(0, 0))
	in.Resize(fyne.NewSize(size.Width, size.Height-h))
	c.msg.Move(fyne.NewPos(theme.InnerPadding()/2, size.Height-h))
	c.msg.Resize(fyne.NewSize(size.Width, h))
}

// cell is the field's input with its message line.
func (f *field) cell() fyne.CanvasObject { return container.New(fieldCell{f.msg}, f.input, f.msg) }

// pairCols shares the label widths of the rows of one pairForm.
type pairCols struct{ first, second float32 }

// pairRow lays out "label | input" or "label | input | label | input" with
// the labels of every row of the form aligned.
type pairRow struct{ cols *pairCols }

func (r pairRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p := theme.Padding()
	w, h := r.cols.first+p, float32(0)
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		if i%2 == 1 {
			w += m.Width
		}
	}
	if len(objs) > 2 {
		w += r.cols.second + 2*p
	}
	return fyne.NewSize(w, h)
}

func (r pairRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := theme.Padding()
	lab := func(o fyne.CanvasObject, x, w float32) {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
	}
	put := func(o fyne.CanvasObject, x, w float32) {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
	lab(objs[0], 0, r.cols.first)
	x := r.cols.first + p
	if len(objs) == 2 {
		put(objs[1], x, size.Width-x)
		return
	}
	half := (size.Width - r.cols.first - r.cols.second - 3*p) / 2
	put(objs[1], x, half)
	x += half + p
	lab(objs[2], x, r.cols.second)
	x += r.cols.second + p
	put(objs[3], x, size.Width-x)
}

// pairForm lays out rows of one or two fields, labels aligned.
func pairForm(rows ...[]*field) *fyne.Container {
	cols := &pairCols{}
	label := func(f *field) *widget.Label {
		l := widget.NewLabel(f.label)
		l.Alignment = fyne.TextAlignTrailing
		return l
	}
	var objs []fyne.CanvasObject
	for _, row := range rows {
		var ro []fyne.CanvasObject
		for i, f := range row {
			l := label(f)
			if i == 0 {
				cols.first = max(cols.first, l.MinSize().Width)
			} else {
				cols.second = max(cols.second, l.MinSize().Width)
			}
			ro = append(ro, l, f.cell())
		}
		objs = append(objs, container.New(pairRow{cols}, ro...))
	}
	return container.NewVBox(objs...)
}
