//go:build windows

package main

import "golang.org/x/sys/windows"

// noGLMessage shows msg in a native message box: it needs no OpenGL.
func noGLMessage(msg string) {
	text, _ := windows.UTF16PtrFromString(msg)
	title, _ := windows.UTF16PtrFromString("Một Cửa")
	_, _ = windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND)
}
