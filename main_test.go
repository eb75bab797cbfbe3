package main

import (
	"io"
	"path/filepath"
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
