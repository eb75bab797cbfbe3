// Package release signs and verifies releases of the desktop program.
//
// A release is an MSI and its version. The province's release officer makes an
// Ed25519 key pair once (motcua-release keygen), keeps the private key offline
// and builds the public key into the desktop (release/keys.txt). For each
// version they sign SHA-256(MSI) and the version (motcua-release sign) and give
// the MSI, the version and the signature to the hub administrator, who publishes
// them (motcua-hub release publish). The hub never holds the private key: a hub
// that is broken into can withhold releases, but cannot make the desktops run
// anything the release officer did not sign, nor an older signed version.
package release

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Message is what a release signature covers: a fixed label, the version and
// the SHA-256 of the MSI. The label keeps a release signature from being
// mistaken for a signature of anything else made with the same key.
func Message(version string, sum [sha256.Size]byte) []byte {
	return []byte("motcua-release-v1\n" + version + "\n" + hex.EncodeToString(sum[:]) + "\n")
}

// Sign signs a release.
func Sign(priv ed25519.PrivateKey, version string, sum [sha256.Size]byte) []byte {
	return ed25519.Sign(priv, Message(version, sum))
}

// ErrBadSignature: no trusted key verifies the signature.
var ErrBadSignature = errors.New("chữ ký của bản phát hành không hợp lệ")

// Verify checks a signature against the trusted public keys: any one suffices
// (a province may roll its key over by shipping the new public key beside the
// old one first).
func Verify(keys []ed25519.PublicKey, version string, sum [sha256.Size]byte, sig []byte) error {
	if len(keys) == 0 {
		return errors.New("không có khoá công khai nào để kiểm tra bản phát hành")
	}
	if len(sig) != ed25519.SignatureSize {
		return ErrBadSignature
	}
	msg := Message(version, sum)
	for _, k := range keys {
		if len(k) == ed25519.PublicKeySize && ed25519.Verify(k, msg, sig) {
			return nil
		}
	}
	return ErrBadSignature
}

// HashFile returns the SHA-256 and size of a file.
func HashFile(path string) (sum [sha256.Size]byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return sum, 0, err
	}
	defer f.Close()
	h := sha256.New()
	if size, err = io.Copy(h, f); err != nil {
		return sum, 0, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, size, nil
}

// ParseVersion reads MAJOR.MINOR.PATCH (numbers without leading zeros).
func ParseVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("phiên bản %q không có dạng MAJOR.MINOR.PATCH", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 || (len(p) > 1 && p[0] == '0') || strings.ContainsAny(p, "+-") {
			return out, fmt.Errorf("phiên bản %q không có dạng MAJOR.MINOR.PATCH", v)
		}
		out[i] = n
	}
	return out, nil
}

// Compare orders two versions: -1, 0 or +1. An unreadable version is older
// than any readable one.
func Compare(a, b string) int {
	va, ea := ParseVersion(a)
	vb, eb := ParseVersion(b)
	switch {
	case ea != nil && eb != nil:
		return 0
	case ea != nil:
		return -1
	case eb != nil:
		return 1
	}
	for i := range va {
		if va[i] != vb[i] {
			if va[i] < vb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Key files: one line "motcua-release-public BASE64" or
// "motcua-release-private BASE64" (the 32-byte seed), so that a key of one
// kind is never read as the other.
const (
	pubLabel  = "motcua-release-public"
	privLabel = "motcua-release-private"
)

// FormatPublicKey is the text form of a public key (a line of release/keys.txt).
func FormatPublicKey(k ed25519.PublicKey) string {
	return pubLabel + " " + base64.StdEncoding.EncodeToString(k)
}

// FormatPrivateKey is the text form of a private key (its seed).
func FormatPrivateKey(k ed25519.PrivateKey) string {
	return privLabel + " " + base64.StdEncoding.EncodeToString(k.Seed())
}

// ParsePrivateKey reads FormatPrivateKey's text.
func ParsePrivateKey(text string) (ed25519.PrivateKey, error) {
	b, err := parseLine(strings.TrimSpace(text), privLabel, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(b), nil
}

// ParsePublicKeys reads public keys, one per line; blank lines and lines
// starting with # are skipped.
func ParsePublicKeys(text []byte) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := parseLine(line, pubLabel, ed25519.PublicKeySize)
		if err != nil {
			return nil, fmt.Errorf("dòng %d: %w", n, err)
		}
		keys = append(keys, ed25519.PublicKey(b))
	}
	return keys, sc.Err()
}

func parseLine(line, label string, size int) ([]byte, error) {
	rest, ok := strings.CutPrefix(line, label+" ")
	if !ok {
		return nil, fmt.Errorf("không phải %s", label)
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil || len(b) != size {
		return nil, fmt.Errorf("%s hỏng", label)
	}
	return b, nil
}

// EncodeSignature and DecodeSignature give a signature its text form (the
// .sig file and the API's signature field).
func EncodeSignature(sig []byte) string { return base64.StdEncoding.EncodeToString(sig) }

// DecodeSignature reads EncodeSignature's text.
func DecodeSignature(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.SignatureSize {
		return nil, ErrBadSignature
	}
	return b, nil
}

//go:embed keys.txt
var keysTxt []byte

// extraKeys are public keys added at link time, separated by ";":
// go build -ldflags "-X 'motcua/release.extraKeys=motcua-release-public …'"
// (scripts/msi-wine-test.sh links a throw-away key this way).
var extraKeys string

// TrustedKeys are the public keys built into this program (release/keys.txt
// and extraKeys). With none, the desktop accepts no update.
func TrustedKeys() []ed25519.PublicKey {
	keys, err := ParsePublicKeys(append(append([]byte{}, keysTxt...), "\n"+strings.ReplaceAll(extraKeys, ";", "\n")...))
	if err != nil {
		return nil
	}
	return keys
}
