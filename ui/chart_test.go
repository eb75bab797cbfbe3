package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"motcua/app"
)

func TestWeekChartDrawsBarsRateAndLegend(t *testing.T) {
	test.NewTempApp(t)
	c := newWeekChart()
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(440, 170))
	start := time.Date(2025, 2, 10, 0, 0, 0, 0, app.Vietnam)
	ps := make([]app.WeekPoint, 12)
	for i := range ps {
		ps[i].Start = start.AddDate(0, 0, 7*i)
	}
	ps[3] = app.WeekPoint{Start: ps[3].Start, Received: 10, Resolved: 8, OnTime: 6, Late: 2}
	ps[4] = app.WeekPoint{Start: ps[4].Start, Received: 4, Resolved: 4, OnTime: 4}
	ps[11] = app.WeekPoint{Start: ps[11].Start, Received: 2}
	c.set(ps)
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)

	if len(r.received) != 12 || len(r.resolved) != 12 {
		t.Fatalf("bars: %d %d", len(r.received), len(r.resolved))
	}
	if r.maxL.Text != "10" {
		t.Errorf("count scale top %q", r.maxL.Text)
	}
	// Empty weeks are zero-height bars; heights follow the counts.
	if h := r.received[0].Size().Height; h != 0 {
		t.Errorf("empty week bar height %v", h)
	}
	full := r.received[3].Size().Height
	if full <= 0 || abs32(r.resolved[3].Size().Height-full*0.8) > 0.5 || abs32(r.received[4].Size().Height-full*0.4) > 0.5 {
		t.Errorf("bar heights %v %v %v", full, r.resolved[3].Size().Height, r.received[4].Size().Height)
	}
	// The rate: a point for each week that resolved something (75 % then
	// 100 %), joined by one line; none for week 12 (nothing resolved).
	if len(r.rate) != 1 || !r.dots[3].Visible() || r.dots[11].Visible() {
		t.Fatalf("rate line: %d segments, dots %v %v", len(r.rate), r.dots[3].Visible(), r.dots[11].Visible())
	}
	if l := r.rate[0]; l.Position2.Y >= l.Position1.Y {
		t.Errorf("100%% is not above 75%%: %v → %v", l.Position1, l.Position2)
	}
	var legend []string
	for _, o := range r.Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Text != "" {
			legend = append(legend, tx.Text)
		}
	}
	for _, want := range []string{"Đã tiếp nhận", "Đã giải quyết", "Tỷ lệ đúng hạn", "100%", "24/02", "28/04"} {
		found := false
		for _, s := range legend {
			found = found || s == want
		}
		if !found {
			t.Errorf("no %q among %v", want, legend)
		}
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func TestHomeShowsTheWeeklyChart(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(rcv)
	h := e.ui.shell.screens["home"].(*homeScreen)
	if len(h.chart.points) != 12 {
		t.Fatalf("weeks: %d", len(h.chart.points))
	}
	got := 0
	for _, p := range h.chart.points {
		got += p.Received
	}
	if got == 0 {
		t.Error("the demo weeks received nothing")
	}
	// The lists keep most of the height at 1280×720.
	if hgt := h.dueSoon.list.Size().Height; hgt < 300 {
		t.Errorf("the due-soon list is only %.0f high", hgt)
	}
}
