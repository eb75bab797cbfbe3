package release

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"0.1.0", "0.1.0", 0}, {"0.2.0", "0.1.9", 1}, {"0.10.0", "0.9.0", 1}, {"1.0.0", "0.99.99", 1},
		{"0.1.1", "0.1.10", -1}, {"x", "0.0.0", -1}, {"0.0.1", "0.1", 1},
	} {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for _, bad := range []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.-2.3", "1.2.+3", "1.2.a", "70000.0.0"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

func TestSignVerifyKeys(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	sum := sha256.Sum256([]byte("msi"))
	sig := Sign(priv, "0.2.0", sum)
	if err := Verify([]ed25519.PublicKey{other, pub}, "0.2.0", sum, sig); err != nil {
		t.Fatalf("any trusted key verifies: %v", err)
	}
	if Verify([]ed25519.PublicKey{other}, "0.2.0", sum, sig) == nil ||
		Verify([]ed25519.PublicKey{pub}, "0.2.1", sum, sig) == nil ||
		Verify([]ed25519.PublicKey{pub}, "0.2.0", sha256.Sum256([]byte("msj")), sig) == nil ||
		Verify(nil, "0.2.0", sum, sig) == nil {
		t.Fatal("a wrong key, version or file verified")
	}
	// the text forms round-trip, and one kind is never read as the other
	keys, err := ParsePublicKeys([]byte("# comment\n\n" + FormatPublicKey(pub) + "\n" + FormatPublicKey(other) + "\n"))
	if err != nil || len(keys) != 2 || !keys[0].Equal(pub) {
		t.Fatalf("keys %v %v", keys, err)
	}
	p2, err := ParsePrivateKey(FormatPrivateKey(priv))
	if err != nil || !p2.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	if _, err := ParsePrivateKey(FormatPublicKey(pub)); err == nil {
		t.Fatal("a public key was read as a private key")
	}
	if _, err := ParsePublicKeys([]byte(FormatPrivateKey(priv))); err == nil || !strings.Contains(err.Error(), "dòng 1") {
		t.Fatalf("a private key in keys.txt: %v", err)
	}
	// the shipped keys.txt parses (comments only until the province adds its key)
	if _, err := ParsePublicKeys(keysTxt); err != nil {
		t.Fatalf("release/keys.txt: %v", err)
	}
}
