package client

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/release"
)

// Updates through the hub. The updater asks the hub for its latest release
// when the client starts and then every hour (Config.Every), with the office's
// key, alongside the inbox polling. A release is taken only when
//   - its version is newer than this program's,
//   - a public key built into the program (release/keys.txt) verifies its
//     Ed25519 signature over the version and the SHA-256 of the MSI, and
//   - the downloaded file has exactly that SHA-256 and size;
// so a hub that is broken into, or a proxy in between, can withhold updates
// but cannot make an office run a file the province did not sign, nor an
// older signed version. The MSI is downloaded in the background into
// DATA/updates; the office administrator then agrees to install it
// (Install: msiexec, then the program starts again).

// UpdaterConfig tunes an Updater.
type UpdaterConfig struct {
	Current string              // this program's version (MAJOR.MINOR.PATCH)
	Keys    []ed25519.PublicKey // trusted release keys; nil: release.TrustedKeys()
	Dir     string              // download folder, e.g. DATA/updates
	Every   time.Duration       // between two checks, default 1 h
	First   time.Duration       // before the first check, default 20 s
	// Launch runs the installer of a verified MSI and arranges the restart;
	// nil: LaunchInstaller (msiexec on Windows).
	Launch func(msi string) error
	Logger logrus.FieldLogger
}

// UpdateState is what the desktop shows.
type UpdateState struct {
	Version string // the newer version found, "" when none
	Notes   string
	Ready   bool   // downloaded and verified: can be installed
	Path    string // the verified MSI
	Error   string // the last check's failure (a refused release says why)
}

// Errors of a refused release.
var (
	ErrBadSignature = release.ErrBadSignature
	ErrTampered     = errors.New("tệp cài đặt tải về không khớp SHA-256 hoặc kích thước đã ký")
	ErrNoKeys       = errors.New("chương trình không mang khoá công khai nào: không nhận bản cập nhật")
)

// Updater checks the hub for releases and downloads them.
type Updater struct {
	c   *Client
	cfg UpdaterConfig
	log logrus.FieldLogger

	mu       sync.Mutex
	state    UpdateState
	onChange func()
	sigs     map[string][]byte // version → its verified signature (InstallUpdate checks the file again)
}

// NewUpdater builds an updater over a hub client.
func NewUpdater(c *Client, cfg UpdaterConfig) *Updater {
	if cfg.Keys == nil {
		cfg.Keys = release.TrustedKeys()
	}
	if cfg.Every <= 0 {
		cfg.Every = time.Hour
	}
	if cfg.First <= 0 {
		cfg.First = 20 * time.Second
	}
	if cfg.Launch == nil {
		cfg.Launch = LaunchInstaller
	}
	if cfg.Logger == nil {
		cfg.Logger = logrus.StandardLogger()
	}
	return &Updater{c: c, cfg: cfg, log: cfg.Logger.WithField("component", "update")}
}

// SetClient makes the updater talk through another hub client (the
// application builds a new one over a restored database).
func (u *Updater) SetClient(c *Client) {
	u.mu.Lock()
	u.c = c
	u.mu.Unlock()
}

func (u *Updater) client() *Client {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.c
}

// SetOnUpdate sets the function called (from a background goroutine) when
// the state changes.
func (u *Updater) SetOnUpdate(f func()) {
	u.mu.Lock()
	u.onChange = f
	u.mu.Unlock()
}

// State is a snapshot.
func (u *Updater) State() UpdateState {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.state
}

// Update reports a verified, downloaded release (for the desktop).
func (u *Updater) Update() (version, notes string, ready bool) {
	s := u.State()
	return s.Version, s.Notes, s.Ready
}

func (u *Updater) set(s UpdateState) {
	u.mu.Lock()
	changed := u.state != s
	u.state = s
	f := u.onChange
	u.mu.Unlock()
	if changed && f != nil {
		f()
	}
}

// Run checks after cfg.First and then every cfg.Every until ctx ends.
func (u *Updater) Run(ctx context.Context) {
	if len(u.cfg.Keys) == 0 {
		u.log.Info("update: no release key built in, updates through the hub are off")
		return
	}
	t := time.NewTimer(u.cfg.First)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := u.Check(ctx); err != nil && ctx.Err() == nil {
			u.log.WithError(err).Warn("update: check")
		}
		t.Reset(u.cfg.Every)
	}
}

// Check asks the hub for its latest release and, when it is newer and its
// signature verifies, downloads and verifies the MSI. It returns the state.
func (u *Updater) Check(ctx context.Context) (UpdateState, error) {
	st, err := u.check(ctx)
	if err != nil {
		prev := u.State()
		if prev.Ready {
			// keep the verified download; remember why this check failed
			prev.Error = err.Error()
			u.set(prev)
			return prev, err
		}
		u.set(UpdateState{Error: err.Error()})
		return u.State(), err
	}
	u.set(st)
	return st, nil
}

func (u *Updater) check(ctx context.Context) (UpdateState, error) {
	if len(u.cfg.Keys) == 0 {
		return UpdateState{}, ErrNoKeys
	}
	var rel api.Release
	_, err := u.client().call(ctx, http.MethodGet, "/v1/releases/latest", nil, nil, &rel)
	if err != nil {
		var he *HubError
		if errors.As(err, &he) && he.Code() == api.CodeNotFound {
			return UpdateState{}, nil // nothing published
		}
		return UpdateState{}, err
	}
	if _, err := release.ParseVersion(rel.Version); err != nil {
		return UpdateState{}, err
	}
	if release.Compare(rel.Version, u.cfg.Current) <= 0 {
		return UpdateState{}, nil // up to date: nothing to show
	}
	sum, err := hex.DecodeString(rel.SHA256)
	if err != nil || len(sum) != sha256.Size {
		return UpdateState{}, ErrBadSignature
	}
	sig, err := release.DecodeSignature(rel.Signature)
	if err != nil {
		return UpdateState{}, err
	}
	if err := release.Verify(u.cfg.Keys, rel.Version, [sha256.Size]byte(sum), sig); err != nil {
		return UpdateState{}, fmt.Errorf("phiên bản %s: %w", rel.Version, err)
	}
	u.mu.Lock()
	if u.sigs == nil {
		u.sigs = map[string][]byte{}
	}
	u.sigs[rel.Version] = sig
	u.mu.Unlock()
	if rel.Size <= 0 || rel.Size > api.MaxReleaseSize {
		return UpdateState{}, ErrTampered
	}
	path, err := u.download(ctx, rel)
	if err != nil {
		return UpdateState{}, err
	}
	u.log.WithField("version", rel.Version).Info("update: downloaded and verified")
	return UpdateState{Version: rel.Version, Notes: rel.Notes, Ready: true, Path: path}, nil
}

// download fetches the MSI of rel into cfg.Dir (or finds it there from an
// earlier check) and verifies its SHA-256 and size.
func (u *Updater) download(ctx context.Context, rel api.Release) (string, error) {
	final := filepath.Join(u.cfg.Dir, api.ReleaseFileName(rel.Version))
	if err := verifyFile(final, rel); err == nil {
		return final, nil
	}
	if err := os.MkdirAll(u.cfg.Dir, 0o750); err != nil {
		return "", err
	}
	c := u.client()
	dctx, cancel := context.WithTimeout(ctx, c.cfg.BlobTimeout)
	defer cancel()
	// The path is built here, not taken from the hub's "file" field: an
	// answer cannot send the desktop to another server.
	resp, err := c.rc.R().SetContext(dctx).SetDoNotParseResponse(true).Get("/v1/releases/" + rel.Version + "/file")
	if err != nil {
		return "", &HubError{Err: err}
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() != http.StatusOK {
		return "", &HubError{Status: resp.StatusCode(), Problem: &api.Problem{Status: resp.StatusCode(), Title: http.StatusText(resp.StatusCode())}}
	}
	tmp, err := os.CreateTemp(u.cfg.Dir, "download-*.part")
	if err != nil {
		return "", err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(body, rel.Size+1))
	if err != nil {
		return "", &HubError{Err: err}
	}
	if n != rel.Size || hex.EncodeToString(h.Sum(nil)) != strings.ToLower(rel.SHA256) {
		return "", fmt.Errorf("phiên bản %s: %w", rel.Version, ErrTampered)
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	tmp = nil
	// older downloads are of no use any more
	if old, _ := filepath.Glob(filepath.Join(u.cfg.Dir, "MotCua-*.msi")); len(old) > 0 {
		for _, f := range old {
			if f != final {
				os.Remove(f)
			}
		}
	}
	return final, nil
}

func verifyFile(path string, rel api.Release) error {
	sum, size, err := release.HashFile(path)
	if err != nil {
		return err
	}
	if size != rel.Size || hex.EncodeToString(sum[:]) != strings.ToLower(rel.SHA256) {
		return ErrTampered
	}
	return nil
}

// InstallUpdate checks the downloaded MSI once more (it sat on the disk) and
// launches the installer; the caller then quits so that the installer can
// replace the program, which starts again when it is done.
func (u *Updater) InstallUpdate() error {
	s := u.State()
	if !s.Ready {
		return errors.New("chưa có bản cập nhật đã tải về và kiểm tra")
	}
	sum, _, err := release.HashFile(s.Path)
	if err != nil {
		return err
	}
	// the signature covers (version, SHA-256): check the file on disk against it again
	if err := u.reverify(s.Version, sum); err != nil {
		u.set(UpdateState{Error: err.Error()})
		os.Remove(s.Path)
		return err
	}
	u.log.WithField("version", s.Version).Info("update: installing")
	return u.cfg.Launch(s.Path)
}

func (u *Updater) reverify(version string, sum [sha256.Size]byte) error {
	u.mu.Lock()
	sig := u.sigs[version]
	u.mu.Unlock()
	if sig == nil {
		return ErrBadSignature
	}
	if err := release.Verify(u.cfg.Keys, version, sum, sig); err != nil {
		return fmt.Errorf("tệp cài đặt đã bị thay đổi sau khi tải về: %w", err)
	}
	return nil
}
