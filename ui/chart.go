package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// weekChart draws the last weeks on the home screen with canvas shapes (no
// image): a pair of bars per week, received and resolved, on the left scale,
// and the on-time rate as a line on the right scale (0–100 %). A week with
// nothing has zero-height bars; a week that resolved nothing has no rate
// point, so the line is drawn between the weeks that have one.
type weekChart struct {
	widget.BaseWidget
	points []app.WeekPoint
}

func newWeekChart() *weekChart {
	c := &weekChart{}
	c.ExtendBaseWidget(c)
	return c
}

// set replaces the weeks shown.
func (c *weekChart) set(ps []app.WeekPoint) {
	c.points = ps
	c.Refresh()
}

const (
	chartText   = 11 // small labels
	chartLegend = 18 // the legend's row
	chartAxis   = 14 // the week labels' row
	chartScaleW = 34 // room for a scale's numbers on each side
)

func (c *weekChart) MinSize() fyne.Size { return fyne.NewSize(400, 150) }

func (c *weekChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.base = canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	r.mid = canvas.NewLine(theme.Color(theme.ColorNameSeparator))
	for i, name := range []string{lang.L("Đã tiếp nhận"), lang.L("Đã giải quyết"), lang.L("Tỷ lệ đúng hạn")} {
		r.swatch[i] = canvas.NewRectangle(color.Transparent)
		r.legend[i] = canvas.NewText(name, theme.Color(theme.ColorNameForeground))
		r.legend[i].TextSize = chartText
	}
	r.maxL = r.text(fyne.TextAlignTrailing)
	r.zeroL = r.text(fyne.TextAlignTrailing)
	r.maxR = r.text(fyne.TextAlignLeading)
	r.midR = r.text(fyne.TextAlignLeading)
	r.zeroR = r.text(fyne.TextAlignLeading)
	r.Refresh()
	return r
}

type chartRenderer struct {
	c                    *weekChart
	bg                   *canvas.Rectangle
	base, mid            *canvas.Line
	swatch               [3]*canvas.Rectangle
	legend               [3]*canvas.Text
	maxL, zeroL          *canvas.Text // the count scale
	maxR, midR, zeroR    *canvas.Text // the rate scale
	received, resolved   []*canvas.Rectangle
	rate                 []*canvas.Line
	dots                 []*canvas.Circle
	weeks                []*canvas.Text
	received0, resolved0 color.Color
	rateColor            color.Color
	size                 fyne.Size
}

func (r *chartRenderer) text(align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	t.TextSize = chartText
	t.Alignment = align
	return t
}

func (r *chartRenderer) Destroy() {}

func (r *chartRenderer) MinSize() fyne.Size { return r.c.MinSize() }

func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.mid, r.base}
	for i := range r.swatch {
		objs = append(objs, r.swatch[i], r.legend[i])
	}
	objs = append(objs, r.maxL, r.zeroL, r.maxR, r.midR, r.zeroR)
	for i := range r.received {
		objs = append(objs, r.received[i], r.resolved[i])
	}
	for _, l := range r.rate {
		objs = append(objs, l)
	}
	for _, d := range r.dots {
		objs = append(objs, d)
	}
	for _, t := range r.weeks {
		objs = append(objs, t)
	}
	return objs
}

// Refresh builds one pair of bars and one label per week, and the scales.
func (r *chartRenderer) Refresh() {
	r.received0 = theme.Color(theme.ColorNamePrimary)
	r.resolved0 = theme.Color(theme.ColorNameSuccess)
	r.rateColor = theme.Color(theme.ColorNameWarning)
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	for i, col := range []color.Color{r.received0, r.resolved0, r.rateColor} {
		r.swatch[i].FillColor = col
		r.legend[i].Color = theme.Color(theme.ColorNameForeground)
	}
	n := len(r.c.points)
	for len(r.received) < n {
		r.received = append(r.received, canvas.NewRectangle(r.received0))
		r.resolved = append(r.resolved, canvas.NewRectangle(r.resolved0))
		r.weeks = append(r.weeks, r.text(fyne.TextAlignCenter))
		d := canvas.NewCircle(r.rateColor)
		r.dots = append(r.dots, d)
	}
	r.received, r.resolved, r.weeks, r.dots = r.received[:n], r.resolved[:n], r.weeks[:n], r.dots[:n]
	for i, p := range r.c.points {
		r.received[i].FillColor = r.received0
		r.resolved[i].FillColor = r.resolved0
		r.dots[i].FillColor = r.rateColor
		r.weeks[i].Text = ""
		// Every third week is named, and the current one.
		if (n-1-i)%3 == 0 {
			r.weeks[i].Text = p.Start.Format("02/01")
		}
	}
	top := chartMax(r.c.points)
	r.maxL.Text = fmt.Sprint(top)
	r.zeroL.Text = "0"
	r.maxR.Text, r.midR.Text, r.zeroR.Text = "100%", "50%", "0%"
	r.Layout(r.size)
	canvas.Refresh(r.c)
}

// chartMax is the top of the count scale: the largest count, rounded up to
// a multiple of 5 (at least 5).
func chartMax(ps []app.WeekPoint) int {
	m := 0
	for _, p := range ps {
		m = max(m, p.Received, p.Resolved)
	}
	return max(5, (m+4)/5*5)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	r.bg.Resize(size)
	pad := theme.Padding()
	// The legend along the top.
	x := float32(chartScaleW)
	for i := range r.swatch {
		r.swatch[i].Move(fyne.NewPos(x, pad+4))
		r.swatch[i].Resize(fyne.NewSize(10, 10))
		ts := r.legend[i].MinSize()
		r.legend[i].Move(fyne.NewPos(x+14, pad+9-ts.Height/2))
		r.legend[i].Resize(ts)
		x += 14 + ts.Width + 14
	}
	// The plot.
	left, right := float32(chartScaleW), size.Width-chartScaleW
	plotTop := pad + chartLegend + 4
	plotBottom := size.Height - pad - chartAxis
	h := plotBottom - plotTop
	if h < 1 || right <= left {
		return
	}
	r.base.Position1, r.base.Position2 = fyne.NewPos(left, plotBottom), fyne.NewPos(right, plotBottom)
	r.mid.Position1, r.mid.Position2 = fyne.NewPos(left, plotTop+h/2), fyne.NewPos(right, plotTop+h/2)
	place := func(t *canvas.Text, px, py, w float32) {
		ts := t.MinSize()
		t.Move(fyne.NewPos(px, py-ts.Height/2))
		t.Resize(fyne.NewSize(w, ts.Height))
	}
	place(r.maxL, 0, plotTop, left-4)
	place(r.zeroL, 0, plotBottom, left-4)
	place(r.maxR, right+4, plotTop, chartScaleW-4)
	place(r.midR, right+4, plotTop+h/2, chartScaleW-4)
	place(r.zeroR, right+4, plotBottom, chartScaleW-4)

	n := len(r.c.points)
	if n == 0 {
		return
	}
	top := float32(chartMax(r.c.points))
	slot := (right - left) / float32(n)
	bar := max(2, slot*0.32)
	var prev *fyne.Position
	lines := 0
	for i, p := range r.c.points {
		x0 := left + slot*float32(i) + (slot-2*bar)/2
		for j, v := range []int{p.Received, p.Resolved} {
			rect := r.received[i]
			if j == 1 {
				rect = r.resolved[i]
			}
			bh := h * float32(v) / top
			rect.Move(fyne.NewPos(x0+float32(j)*bar, plotBottom-bh))
			rect.Resize(fyne.NewSize(bar, bh))
		}
		r.weeks[i].Move(fyne.NewPos(left+slot*float32(i)-10, plotBottom+1))
		r.weeks[i].Resize(fyne.NewSize(slot+20, chartAxis))
		d := r.dots[i]
		if p.Resolved == 0 {
			d.Hide()
			prev = nil
			continue
		}
		d.Show()
		pos := fyne.NewPos(left+slot*(float32(i)+0.5), plotBottom-h*float32(p.OnTimeRate()/100))
		d.Move(pos.SubtractXY(3, 3))
		d.Resize(fyne.NewSize(6, 6))
		if prev != nil {
			if lines == len(r.rate) {
				l := canvas.NewLine(r.rateColor)
				l.StrokeWidth = 2
				r.rate = append(r.rate, l)
			}
			l := r.rate[lines]
			l.StrokeColor = r.rateColor
			l.Position1, l.Position2 = *prev, pos
			lines++
		}
		prev = &pos
	}
	r.rate = r.rate[:lines]
}
