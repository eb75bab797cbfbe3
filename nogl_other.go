//go:build !windows

package main

import (
	"fmt"
	"os"
	"os/exec"
)

// noGLMessage prints msg, and shows it with xmessage when there is one (it
// draws without OpenGL).
func noGLMessage(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	if p, err := exec.LookPath("xmessage"); err == nil && os.Getenv("DISPLAY") != "" {
		_ = exec.Command(p, "-center", msg).Run()
	}
}
