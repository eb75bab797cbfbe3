package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeygenSignVerify: the offline commands round-trip, and verify refuses
// another file, another version and another key.
func TestKeygenSignVerify(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "tinh")
	var out bytes.Buffer
	if err := run([]string{"keygen", "--out", prefix}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(prefix + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", fi, err)
	}
	if err := run([]string{"keygen", "--out", prefix}, io.Discard, io.Discard); err == nil {
		t.Fatal("keygen overwrote an existing key pair")
	}
	msi := filepath.Join(dir, "MotCua-0.2.0.msi")
	os.WriteFile(msi, bytes.Repeat([]byte("msi"), 1000), 0o644)
	if err := run([]string{"sign", "--key", prefix + ".key", "--msi", msi, "--version", "0.2.0"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	verify := func(pub, file, version string) error {
		return run([]string{"verify", "--pub", pub, "--msi", file, "--version", version, "--sig", msi + ".sig"}, io.Discard, io.Discard)
	}
	if err := verify(prefix+".pub", msi, "0.2.0"); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := verify(prefix+".pub", msi, "0.2.1"); err == nil {
		t.Error("verified for another version")
	}
	other := filepath.Join(dir, "other.msi")
	os.WriteFile(other, bytes.Repeat([]byte("msX"), 1000), 0o644)
	if err := verify(prefix+".pub", other, "0.2.0"); err == nil {
		t.Error("verified another file")
	}
	if err := run([]string{"keygen", "--out", filepath.Join(dir, "khac")}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := verify(filepath.Join(dir, "khac.pub"), msi, "0.2.0"); err == nil {
		t.Error("verified with another key")
	}
	if err := run([]string{"sign", "--key", prefix + ".pub", "--msi", msi, "--version", "0.2.0"}, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "private") {
		t.Errorf("signing with the public key file: %v", err)
	}
}
