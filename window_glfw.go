//go:build cgo && !ci

package main

import (
	"fmt"

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

// probeGL opens and closes a hidden window with the OpenGL 2.1 context Fyne
// needs; it runs on the main thread before Fyne opens its own window.
func probeGL() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("OpenGL: %v", r)
		}
	}()
	if err := glfw.Init(); err != nil {
		return err
	}
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 2)
	glfw.WindowHint(glfw.ContextVersionMinor, 1)
	w, err := glfw.CreateWindow(16, 16, "motcua-gl-probe", nil, nil)
	glfw.DefaultWindowHints()
	if err != nil {
		return err
	}
	w.Destroy()
	return nil
}
