package main

import "testing"

func TestWindowFitsTheWorkAreaAtAnyScale(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		scale float32
	}{{1366, 728, 1}, {1920, 1040, 1.5}, {1366, 728, 1.25}, {1280, 984, 1}, {2560, 1400, 2}, {1920, 1040, 1}} {
		s := fitWindow(c.w, c.h, c.scale)
		if px := (s.Width + frameW) * c.scale; px > float32(c.w)+0.5 {
			t.Errorf("%dx%d at %.2f: width %.0f px with its frame, wider than the work area", c.w, c.h, c.scale, px)
		}
		if px := (s.Height + frameH) * c.scale; px > float32(c.h)+0.5 {
			t.Errorf("%dx%d at %.2f: height %.0f px with its frame, taller than the work area", c.w, c.h, c.scale, px)
		}
		if s.Width > prefW || s.Height > prefH {
			t.Errorf("%dx%d at %.2f: %v is larger than the preferred size", c.w, c.h, c.scale, s)
		}
	}
	// a screen with room keeps the preferred size
	if s := fitWindow(1920, 1040, 1); s.Width != prefW || s.Height != prefH {
		t.Errorf("1920×1040 at 100%%: %v", s)
	}
}
