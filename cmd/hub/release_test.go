package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/release"
)

// TestReleaseCommands: publish (checked against the public key when --pub is
// given), list, withdraw.
func TestReleaseCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "hub")
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, _, _ := ed25519.GenerateKey(rand.Reader)
	msi := filepath.Join(dir, "MotCua-0.2.0.msi")
	file := bytes.Repeat([]byte("MSI"), 4000)
	os.WriteFile(msi, file, 0o644)
	sig := filepath.Join(dir, "MotCua-0.2.0.msi.sig")
	os.WriteFile(sig, []byte(release.EncodeSignature(release.Sign(priv, "0.2.0", sha256.Sum256(file)))+"\n"), 0o644)
	keys := filepath.Join(dir, "keys.txt")
	os.WriteFile(keys, []byte("# tỉnh\n"+release.FormatPublicKey(pub)+"\n"), 0o644)
	wrong := filepath.Join(dir, "wrong.txt")
	os.WriteFile(wrong, []byte(release.FormatPublicKey(otherPub)+"\n"), 0o644)

	publish := func(pubFile string) error {
		args := []string{"release", "publish", "--data", data, "--msi", msi, "--version", "0.2.0", "--sig", sig,
			"--notes", "Mẫu phiếu mới"}
		if pubFile != "" {
			args = append(args, "--pub", pubFile)
		}
		return run(args, io.Discard, io.Discard)
	}
	if err := publish(wrong); err == nil || !strings.Contains(err.Error(), "nothing published") {
		t.Fatalf("publish with a key that does not verify: %v", err)
	}
	if err := publish(keys); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"release", "list", "--data", data}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0.2.0") || !strings.Contains(out.String(), "Mẫu phiếu mới") {
		t.Fatalf("list:\n%s", out.String())
	}
	if err := run([]string{"release", "withdraw", "--data", data, "--version", "0.2.0"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run([]string{"release", "list", "--data", data}, &out, io.Discard)
	if strings.Contains(out.String(), "0.2.0") {
		t.Fatalf("still listed after withdraw:\n%s", out.String())
	}
	if err := run([]string{"service", "install", "--data", data}, io.Discard, io.Discard); err == nil {
		t.Fatal("service install did something on Linux")
	}
}
