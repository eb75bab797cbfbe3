package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"

	"motcua/api"
	"motcua/release"
)

// Releases of the desktop program. The hub administrator publishes an MSI
// with its version, Vietnamese notes and the signature the province's release
// officer made offline (motcua-release sign); desktops read the newest with
// their agency key and download its file. The hub has no release key: it
// cannot sign, and the desktops check the signature themselves.
//
// DATA/releases/VERSION.msi holds the files; bucket "releases" maps
// version → api.Release (without File).

var bReleases = []byte("releases")

// MaxReleaseNotes bounds the notes (characters).
const MaxReleaseNotes = 4000

func (h *Hub) releasePath(version string) string {
	return filepath.Join(h.dir, "releases", version+".msi")
}

// PublishRelease stores a release: the file is copied (and hashed) first,
// fsync'd, then recorded. The same version may be published again only with
// the same file (a retry); a different file for a published version is
// refused — publish a new version instead. sig is the base64 signature.
func (h *Hub) PublishRelease(version, notes, sig string, msi io.Reader) (api.Release, error) {
	if _, err := release.ParseVersion(version); err != nil {
		return api.Release{}, err
	}
	notes = norm.NFC.String(strings.TrimSpace(notes))
	if notes == "" {
		return api.Release{}, errors.New("release notes are required (--notes \"…\")")
	}
	if utf8.RuneCountInString(notes) > MaxReleaseNotes {
		return api.Release{}, fmt.Errorf("release notes are at most %d characters", MaxReleaseNotes)
	}
	sigBytes, err := release.DecodeSignature(sig)
	if err != nil {
		return api.Release{}, errors.New("the signature is not a base64 Ed25519 signature (the .sig file of motcua-release sign)")
	}
	dir := filepath.Join(h.dir, "releases")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return api.Release{}, err
	}
	tmp, err := os.CreateTemp(dir, "publish-*")
	if err != nil {
		return api.Release{}, err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	hash := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(msi, api.MaxReleaseSize+1))
	if err != nil {
		return api.Release{}, err
	}
	if size == 0 || size > api.MaxReleaseSize {
		return api.Release{}, fmt.Errorf("a release file has 1 to %d bytes, not %d", api.MaxReleaseSize, size)
	}
	rel := api.Release{
		Version: version, SHA256: hex.EncodeToString(hash.Sum(nil)), Size: size, Notes: notes,
		Signature: release.EncodeSignature(sigBytes), PublishedAt: h.now(),
	}
	if old, ok, err := h.releaseRecord(version); err != nil {
		return api.Release{}, err
	} else if ok {
		if old.SHA256 != rel.SHA256 {
			return api.Release{}, fmt.Errorf("version %s is already published with another file: publish a new version", version)
		}
		return withFile(old), nil
	}
	if err := tmp.Sync(); err != nil {
		return api.Release{}, err
	}
	if err := tmp.Close(); err != nil {
		return api.Release{}, err
	}
	if err := os.Rename(tmp.Name(), h.releasePath(version)); err != nil {
		return api.Release{}, err
	}
	tmp = nil
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	b, err := json.Marshal(rel)
	if err != nil {
		return api.Release{}, err
	}
	err = h.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bReleases)
		if err != nil {
			return err
		}
		return bk.Put([]byte(version), b)
	})
	if err != nil {
		return api.Release{}, err
	}
	h.log.WithFields(map[string]any{"version": version, "sha256": rel.SHA256, "size": size}).Info("release published")
	return withFile(rel), nil
}

// WithdrawRelease removes a published release (desktops that have not
// downloaded it yet will not see it; the previous one becomes the latest).
func (h *Hub) WithdrawRelease(version string) error {
	found := false
	err := h.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bReleases)
		if bk == nil || bk.Get([]byte(version)) == nil {
			return nil
		}
		found = true
		return bk.Delete([]byte(version))
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("version %s is not published", version)
	}
	if err := os.Remove(h.releasePath(version)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// Releases lists the published releases, newest version first.
func (h *Hub) Releases() ([]api.Release, error) {
	var out []api.Release
	err := h.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bReleases)
		if bk == nil {
			return nil
		}
		return bk.ForEach(func(_, v []byte) error {
			var r api.Release
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, withFile(r))
			return nil
		})
	})
	// newest first: a handful of releases, insertion sort keeps it simple
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && release.Compare(out[j].Version, out[j-1].Version) > 0; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, err
}

func (h *Hub) releaseRecord(version string) (api.Release, bool, error) {
	var r api.Release
	found := false
	err := h.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bReleases)
		if bk == nil {
			return nil
		}
		v := bk.Get([]byte(version))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &r)
	})
	return r, found, err
}

func withFile(r api.Release) api.Release {
	r.File = "/v1/releases/" + r.Version + "/file"
	return r
}

func (h *Hub) handleLatestRelease(c *call) error {
	list, err := h.Releases()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return problem(api.CodeNotFound, "no release is published")
	}
	return writeJSON(c.w, http.StatusOK, list[0])
}

func (h *Hub) handleReleaseFile(c *call) error {
	version := c.r.PathValue("version")
	rel, ok, err := h.releaseRecord(version)
	if err != nil {
		return err
	}
	if !ok {
		return problem(api.CodeNotFound, "no release "+version)
	}
	f, err := os.Open(h.releasePath(version))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", api.MediaBinary)
	c.w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	c.w.Header().Set(api.HeaderReprDigest, reprDigest(rel.SHA256))
	c.w.Header().Set("Content-Disposition", `attachment; filename="`+api.ReleaseFileName(version)+`"`)
	c.w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(c.w, f); err != nil {
		h.log.WithError(err).WithField("release", version).Warn("release download interrupted")
	}
	return nil
}
