package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAppVersionIsTheMSIVersion: the updater compares releases with the same
// version the MSI carries (scripts/version.sh reads FyneApp.toml too).
func TestAppVersionIsTheMSIVersion(t *testing.T) {
	out, err := exec.Command("scripts/version.sh", "msi").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := appVersion(), strings.TrimSpace(string(out)); got != want || got == "0.0.0" {
		t.Fatalf("appVersion() = %q, scripts/version.sh msi = %q", got, want)
	}
}
