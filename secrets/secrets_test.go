package secrets_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"motcua/app"
	"motcua/secrets"
)

func TestSecretsAreTheOwnersOnly(t *testing.T) {
	data := tempDir(t)
	s := secrets.Open(data)
	if v, err := s.Secret("hub_key"); err != nil || v != "" {
		t.Fatalf("no secret yet: %q %v", v, err)
	}
	const key = "mc_live_7f3a9c1e5b2d4f6a8c0e"
	if err := s.SetSecret("hub_key", key); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("hub_key"); err != nil || v != key {
		t.Fatalf("read back %q %v", v, err)
	}
	p := filepath.Join(data, "secrets", "hub_key")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(p)
	if runtime.GOOS == "windows" {
		// DPAPI: the file holds no trace of the key.
		if strings.Contains(string(raw), key) || len(raw) < len(key)+16 {
			t.Errorf("the file is not DPAPI-protected: %d bytes", len(raw))
		}
	} else {
		if string(raw) != key {
			t.Errorf("file content %q", raw)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		if di, _ := os.Stat(filepath.Dir(p)); di.Mode().Perm() != 0o700 {
			t.Errorf("folder mode %v, want 0700", di.Mode().Perm())
		}
		// Opened up by someone: put back to 0600 on the next read.
		os.Chmod(p, 0o644)
		s.Secret("hub_key")
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode not tightened: %v", fi.Mode().Perm())
		}
	}
	if err := s.SetSecret("../motcua.db", "x"); app.KindOf(err) != app.KindInvalid {
		t.Errorf("a name outside the folder: %v", err)
	}
	// A file that cannot be written: the error does not carry the secret.
	// (Wine cannot clean up after this one.)
	if runtime.GOOS != "windows" {
		ro := secrets.Open(filepath.Join(data, "nowhere"))
		os.WriteFile(filepath.Join(data, "nowhere"), nil, 0o600) // a file where the folder should be
		if err := ro.SetSecret("hub_key", key); err == nil || strings.Contains(err.Error(), key) {
			t.Errorf("write failure: %v", err)
		}
	}
	if err := s.SetSecret("hub_key", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("an emptied secret stays: %v", err)
	}
}

// tempDir is t.TempDir, except under Wine, whose folder removal fails
// ("Invalid function") and would fail the test: there it is left behind.
func tempDir(t *testing.T) string {
	if runtime.GOOS != "windows" {
		return t.TempDir()
	}
	d, err := os.MkdirTemp("", "secrets-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}
