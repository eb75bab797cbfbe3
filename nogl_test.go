package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/storage"
)

// Without OpenGL (an X server without GLX) the real binary says why in
// Vietnamese, releases the database and exits instead of lingering unseen.
func TestNoOpenGLSaysSoReleasesTheDatabaseAndExits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("no Xvfb")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "motcua")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	disp := ""
	for n := 170; n < 200; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
			disp = fmt.Sprintf(":%d", n)
			break
		}
	}
	x := exec.Command(xvfb, disp, "-screen", "0", "1366x768x24", "-nolisten", "tcp", "-extension", "GLX")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = x.Process.Kill(); _, _ = x.Process.Wait() }()
	for i := 0; i < 50; i++ {
		if _, err := os.Stat("/tmp/.X11-unix/X" + disp[1:]); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	data := filepath.Join(dir, "data")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--demo", "--data", data)
	// PATH without xmessage: the message goes to stderr only
	cmd.Env = append(os.Environ(), "DISPLAY="+disp, "LANG=en_US.UTF-8", "PATH="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatal("the program kept running without OpenGL")
	}
	if cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit code %d, err %v", cmd.ProcessState.ExitCode(), err)
	}
	if !strings.Contains(stderr.String(), "OpenGL") || !strings.Contains(stderr.String(), "opengl32.dll") {
		t.Errorf("stderr does not explain the fix:\n%s", stderr.String())
	}
	// The database is free again.
	db, err := storage.Open(filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatalf("the database is still held: %v", err)
	}
	db.Close()
}
