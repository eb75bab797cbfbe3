package main

import (
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"--data", "/tmp/x", "--demo", "--lang", "en"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.dataDir != "/tmp/x" || !c.demo || c.lang != "en" {
		t.Errorf("parseFlags = %+v", c)
	}
	t.Setenv("MOTCUA_START_SCREEN", "receive")
	c, err = parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.screen != "receive" || c.demo || c.lang != "" {
		t.Errorf("defaults = %+v", c)
	}
	if filepath.Base(c.dataDir) != "MotCua" {
		t.Errorf("default data dir %q does not end in MotCua", c.dataDir)
	}
	if _, err := parseFlags([]string{"--lang", "fr"}, io.Discard); err == nil || !strings.Contains(err.Error(), "vi") {
		t.Errorf("--lang fr accepted: %v", err)
	}
}

// TestBinaryLinksNoTestData: data generators and fixtures live in test-only
// packages; the shipped binary never links them.
func TestBinaryLinksNoTestData(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 || !slices.Contains(deps, "motcua/app") {
		t.Fatalf("go list -deps returned too little: %d packages", len(deps))
	}
	for _, d := range deps {
		if d == "motcua/internal/testgen" || strings.HasSuffix(d, "test") && strings.HasPrefix(d, "motcua/") {
			t.Errorf("the binary links the test-only package %s", d)
		}
	}
}
