//go:build cgo && !ci

package main

import (
	"github.com/go-gl/glfw/v3.3/glfw"
)

// workArea is the primary monitor's work area (the screen less the
// taskbar) in screen pixels; ok is false when it is not known.
func workArea() (x, y, w, h int, ok bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return 0, 0, 0, 0, false
	}
	x, y, w, h = m.GetWorkarea()
	return x, y, w, h, w > 0 && h > 0
}
