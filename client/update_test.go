package client_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"motcua/api"
	"motcua/client"
	"motcua/release"
)

type releaseEnv struct {
	th        *testHub
	pub       ed25519.PublicKey
	priv      ed25519.PrivateKey
	launched  []string
	updateDir string
}

func newReleaseEnv(t *testing.T) *releaseEnv {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	th := newHubDir(t)
	th.startInProcess()
	return &releaseEnv{th: th, pub: pub, priv: priv}
}

// msi is a stand-in installer of the given version (the bytes differ per version).
func msi(version string) []byte {
	return bytes.Repeat([]byte("MSI of Một Cửa "+version+"\n"), 3000)
}

// publish signs file as version with priv and publishes it on the hub.
func (e *releaseEnv) publish(t *testing.T, priv ed25519.PrivateKey, signedAs, publishedAs string, file []byte) {
	t.Helper()
	sig := release.EncodeSignature(release.Sign(priv, signedAs, sha256.Sum256(file)))
	if _, err := e.th.h.PublishRelease(publishedAs, "Mẫu phiếu tiếp nhận theo Thông tư 01/2026", sig, bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
}

// updater is an office's updater talking to hubURL, at version current.
func (e *releaseEnv) updater(t *testing.T, hubURL, current string) *client.Updater {
	o := newOffice(t, communeCode, "UBND xã Tân Lập", hubURL, e.th.keys[communeCode])
	e.updateDir = filepath.Join(t.TempDir(), "updates")
	return client.NewUpdater(o.cl, client.UpdaterConfig{
		Current: current, Keys: []ed25519.PublicKey{e.pub}, Dir: e.updateDir, Logger: quietLogger(),
		Launch: func(path string) error { e.launched = append(e.launched, path); return nil },
	})
}

// downloads lists what the updater left in its folder.
func (e *releaseEnv) downloads(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(e.updateDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	return names
}

// TestUpdateVerifiedAndInstalled: a newer, signed release is downloaded in
// the background, verified, shown, and installed on request.
func TestUpdateVerifiedAndInstalled(t *testing.T) {
	e := newReleaseEnv(t)
	u := e.updater(t, e.th.URL(), "0.1.0")
	changed := make(chan struct{}, 10)
	u.SetOnUpdate(func() { changed <- struct{}{} })

	st, err := u.Check(context.Background())
	if err != nil || st.Ready || st.Version != "" {
		t.Fatalf("nothing published: %+v, %v", st, err)
	}

	file := msi("0.2.0")
	e.publish(t, e.priv, "0.2.0", "0.2.0", file)
	st, err = u.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Ready || st.Version != "0.2.0" || st.Notes != "Mẫu phiếu tiếp nhận theo Thông tư 01/2026" {
		t.Fatalf("state %+v", st)
	}
	if got, err := os.ReadFile(st.Path); err != nil || !bytes.Equal(got, file) || filepath.Base(st.Path) != "MotCua-0.2.0.msi" {
		t.Fatalf("download %s: %d bytes, %v", st.Path, len(got), err)
	}
	if v, notes, ready := u.Update(); v != "0.2.0" || !ready || notes == "" {
		t.Fatalf("Update() = %q %q %v", v, notes, ready)
	}
	select {
	case <-changed:
	default:
		t.Fatal("the desktop was not told of the update")
	}
	// a second check finds the file already there and verified
	if st2, err := u.Check(context.Background()); err != nil || st2 != st {
		t.Fatalf("second check %+v %v", st2, err)
	}
	if err := u.InstallUpdate(); err != nil {
		t.Fatal(err)
	}
	if len(e.launched) != 1 || e.launched[0] != st.Path {
		t.Fatalf("launched %v", e.launched)
	}
}

// TestUpdateRefusesNotNewer: the same or an older version is not offered.
func TestUpdateRefusesNotNewer(t *testing.T) {
	e := newReleaseEnv(t)
	e.publish(t, e.priv, "0.1.5", "0.1.5", msi("0.1.5"))
	for _, current := range []string{"0.1.5", "0.2.0", "1.0.0"} {
		u := e.updater(t, e.th.URL(), current)
		st, err := u.Check(context.Background())
		if err != nil || st.Ready || st.Version != "" {
			t.Fatalf("at %s: %+v %v", current, st, err)
		}
		if d := e.downloads(t); len(d) != 0 {
			t.Fatalf("at %s the updater downloaded %v", current, d)
		}
		if err := u.InstallUpdate(); err == nil || len(e.launched) != 0 {
			t.Fatalf("at %s InstallUpdate ran: %v", current, e.launched)
		}
	}
	// 0.10.0 is newer than 0.9.0 (numbers, not text)
	e.publish(t, e.priv, "0.10.0", "0.10.0", msi("0.10.0"))
	if st, err := e.updater(t, e.th.URL(), "0.9.0").Check(context.Background()); err != nil || st.Version != "0.10.0" || !st.Ready {
		t.Fatalf("0.10.0 over 0.9.0: %+v %v", st, err)
	}
}

// TestUpdateRefusesBadSignature: a release signed by another key, or whose
// signature is for another version, is refused before anything is downloaded.
func TestUpdateRefusesBadSignature(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		otherKey              bool
		signedAs, publishedAs string
	}{
		{"another key", true, "0.2.0", "0.2.0"},
		{"signed for another version", false, "0.1.9", "0.2.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReleaseEnv(t)
			priv := e.priv
			if tc.otherKey {
				_, priv, _ = ed25519.GenerateKey(rand.Reader)
			}
			e.publish(t, priv, tc.signedAs, tc.publishedAs, msi(tc.publishedAs))
			u := e.updater(t, e.th.URL(), "0.1.0")
			st, err := u.Check(context.Background())
			if !errors.Is(err, client.ErrBadSignature) || st.Ready {
				t.Fatalf("state %+v, err %v: want ErrBadSignature", st, err)
			}
			if !strings.Contains(st.Error, "chữ ký") {
				t.Fatalf("the reason shown: %q", st.Error)
			}
			if d := e.downloads(t); len(d) != 0 {
				t.Fatalf("downloaded %v", d)
			}
		})
	}
	// no key built in: nothing is accepted
	e := newReleaseEnv(t)
	e.publish(t, e.priv, "0.2.0", "0.2.0", msi("0.2.0"))
	o := newOffice(t, communeCode, "UBND xã Tân Lập", e.th.URL(), e.th.keys[communeCode])
	u := client.NewUpdater(o.cl, client.UpdaterConfig{Current: "0.1.0", Keys: []ed25519.PublicKey{}, Dir: t.TempDir(), Logger: quietLogger()})
	if _, err := u.Check(context.Background()); !errors.Is(err, client.ErrNoKeys) {
		t.Fatalf("without keys: %v", err)
	}
}

// TestUpdateRefusesTamperedHub: a hub whose stored file was altered (same
// size), and a hub that serves another file together with that file's true
// SHA-256 and size (an attacker in control of the hub): both are refused and
// nothing is left in the download folder.
func TestUpdateRefusesTamperedHub(t *testing.T) {
	t.Run("file altered on the hub", func(t *testing.T) {
		e := newReleaseEnv(t)
		file := msi("0.2.0")
		e.publish(t, e.priv, "0.2.0", "0.2.0", file)
		bad := bytes.Clone(file)
		bad[len(bad)/2] ^= 0x20
		if err := os.WriteFile(filepath.Join(e.th.dir, "releases", "0.2.0.msi"), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		u := e.updater(t, e.th.URL(), "0.1.0")
		st, err := u.Check(context.Background())
		if !errors.Is(err, client.ErrTampered) || st.Ready {
			t.Fatalf("state %+v, err %v: want ErrTampered", st, err)
		}
		if d := e.downloads(t); len(d) != 0 {
			t.Fatalf("left in the download folder: %v", d)
		}
	})
	t.Run("hub serves another file with its own digest", func(t *testing.T) {
		e := newReleaseEnv(t)
		e.publish(t, e.priv, "0.2.0", "0.2.0", msi("0.2.0"))
		evil := []byte("MZ… not what the province signed")
		evilSum := sha256.Sum256(evil)
		target, _ := url.Parse(e.th.URL())
		proxy := httputil.NewSingleHostReverseProxy(target)
		proxy.ModifyResponse = func(r *http.Response) error {
			switch {
			case r.Request.URL.Path == "/v1/releases/latest":
				var rel api.Release
				if err := json.NewDecoder(r.Body).Decode(&rel); err != nil {
					return err
				}
				rel.SHA256, rel.Size = hex.EncodeToString(evilSum[:]), int64(len(evil))
				b, _ := json.Marshal(rel)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
				r.Header.Set("Content-Length", itoa(len(b)))
			case strings.HasSuffix(r.Request.URL.Path, "/file"):
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(evil)), int64(len(evil))
				r.Header.Set("Content-Length", itoa(len(evil)))
				r.Header.Del(api.HeaderReprDigest)
			}
			return nil
		}
		evilHub := httptest.NewServer(proxy)
		defer evilHub.Close()
		u := e.updater(t, evilHub.URL, "0.1.0")
		st, err := u.Check(context.Background())
		if !errors.Is(err, client.ErrBadSignature) || st.Ready {
			t.Fatalf("state %+v, err %v: want ErrBadSignature", st, err)
		}
		if d := e.downloads(t); len(d) != 0 {
			t.Fatalf("left in the download folder: %v", d)
		}
	})
	t.Run("download altered on this PC before installing", func(t *testing.T) {
		e := newReleaseEnv(t)
		e.publish(t, e.priv, "0.2.0", "0.2.0", msi("0.2.0"))
		u := e.updater(t, e.th.URL(), "0.1.0")
		st, err := u.Check(context.Background())
		if err != nil || !st.Ready {
			t.Fatalf("%+v %v", st, err)
		}
		if err := os.WriteFile(st.Path, []byte("changed on disk"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := u.InstallUpdate(); err == nil || len(e.launched) != 0 {
			t.Fatalf("installed an altered file: err %v, launched %v", err, e.launched)
		}
		if _, err := os.Stat(st.Path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("the altered file is still there: %v", err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
