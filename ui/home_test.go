package ui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/app"
)

// TestHomeTileNumbersFitTheirColumn: five-digit counts (a province centre's
// returned dossiers) stay inside their tile's number column; small counts
// keep it compact.
func TestHomeTileNumbersFitTheirColumn(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	h := e.ui.shell.screens["home"].(*homeScreen)
	n := h.tiles[app.StateReturned]
	need := fyne.MeasureText("75922", n.TextSize, n.TextStyle).Width
	numWidth := func() float32 {
		min := float32(1e9)
		for _, l := range h.lines {
			for _, o := range l.Objects {
				if c, ok := o.(*fyne.Container); ok && c.Layout == fyne.Layout(h.numCol) {
					min = float32(math.Min(float64(min), float64(c.Size().Width)))
				}
			}
		}
		return min
	}
	h.setCounts(map[app.State]int{app.StateReturned: 75922, app.StateReceived: 3})
	if got := numWidth(); got < need {
		t.Errorf("number column %v wide, 75922 needs %v", got, need)
	}
	h.setCounts(map[app.State]int{app.StateReturned: 12, app.StateReceived: 3})
	if got := numWidth(); got >= need {
		t.Errorf("number column %v wide for two-digit counts", got)
	}
}
