//go:build !cgo || ci

package main

func workArea() (x, y, w, h int, ok bool) { return 0, 0, 0, 0, false }

// probeGL: without cgo there is no OpenGL to probe (the test driver).
func probeGL() error { return nil }
