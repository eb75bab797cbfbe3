package hub

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"motcua/api"
	"motcua/release"
)

func signed(t *testing.T, priv ed25519.PrivateKey, version string, file []byte) string {
	t.Helper()
	return release.EncodeSignature(release.Sign(priv, version, sha256.Sum256(file)))
}

// TestReleases: publish, read the latest with an agency key, download the file.
func TestReleases(t *testing.T) {
	e := newEnv(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)

	e.do(commune, "GET", "/v1/releases/latest", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do("", "GET", "/v1/releases/latest", nil, nil).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)

	v1 := bytes.Repeat([]byte("MSI 0.2.0 "), 5000)
	v2 := bytes.Repeat([]byte("MSI 0.10.0 "), 6000)
	// NFD notes come back NFC
	if _, err := e.h.PublishRelease("0.2.0", norm.NFD.String("Mẫu phiếu mới"), signed(t, priv, "0.2.0", v1), bytes.NewReader(v1)); err != nil {
		t.Fatal(err)
	}
	rel, err := e.h.PublishRelease("0.10.0", "Sửa lỗi in phiếu\nThêm mẫu 01", signed(t, priv, "0.10.0", v2), bytes.NewReader(v2))
	if err != nil {
		t.Fatal(err)
	}
	// same version, same file: a retry, fine; another file: refused
	if _, err := e.h.PublishRelease("0.10.0", "x", signed(t, priv, "0.10.0", v2), bytes.NewReader(v2)); err != nil {
		t.Fatalf("retry of the same release: %v", err)
	}
	if _, err := e.h.PublishRelease("0.10.0", "x", signed(t, priv, "0.10.0", v1), bytes.NewReader(v1)); err == nil {
		t.Fatal("a second file for a published version was accepted")
	}
	for _, bad := range []struct{ version, notes, sig string }{
		{"0.3", "n", rel.Signature}, {"0.03.0", "n", rel.Signature}, {"0.3.0", " ", rel.Signature}, {"0.3.0", "n", "AAAA"},
	} {
		if _, err := e.h.PublishRelease(bad.version, bad.notes, bad.sig, bytes.NewReader(v1)); err == nil {
			t.Errorf("published %+v", bad)
		}
	}

	var latest api.Release
	e.do(stranger, "GET", "/v1/releases/latest", nil, nil).want(t, http.StatusOK, &latest)
	if latest.Version != "0.10.0" || latest.Notes != "Sửa lỗi in phiếu\nThêm mẫu 01" || latest.Size != int64(len(v2)) ||
		latest.File != "/v1/releases/0.10.0/file" {
		t.Fatalf("latest = %+v (0.10.0 is newer than 0.2.0)", latest)
	}
	sum := sha256.Sum256(v2)
	if latest.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("sha256 %s", latest.SHA256)
	}
	sig, err := release.DecodeSignature(latest.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.Verify([]ed25519.PublicKey{pub}, latest.Version, sum, sig); err != nil {
		t.Fatalf("the signature served does not verify: %v", err)
	}

	got := e.do(commune, "GET", latest.File, nil, nil)
	if got.status != http.StatusOK || !bytes.Equal(got.body, v2) {
		t.Fatalf("file: status %d, %d bytes", got.status, len(got.body))
	}
	if rd := got.header.Get(api.HeaderReprDigest); rd != reprDigest(latest.SHA256) {
		t.Fatalf("Repr-Digest %q", rd)
	}
	e.do(commune, "GET", "/v1/releases/9.9.9/file", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do(commune, "GET", "/v1/releases/latest/file", nil, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	e.do("", "GET", latest.File, nil, nil).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)

	// withdrawn: the previous release is the latest again
	if err := e.h.WithdrawRelease("0.10.0"); err != nil {
		t.Fatal(err)
	}
	e.do(commune, "GET", "/v1/releases/latest", nil, nil).want(t, http.StatusOK, &latest)
	if latest.Version != "0.2.0" || !strings.HasPrefix(latest.Notes, "Mẫu phiếu mới") {
		t.Fatalf("after withdrawal latest = %+v", latest)
	}
	e.do(commune, "GET", "/v1/releases/0.10.0/file", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	list, err := e.h.Releases()
	if err != nil || len(list) != 1 {
		t.Fatalf("releases %v %v", list, err)
	}
}
