package hub

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

type blobRecord struct {
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// blobPath is DATA/blobs/ab/cdef…: two-letter fan-out keeps folders small.
func (h *Hub) blobPath(hexsum string) string {
	return filepath.Join(h.dir, "blobs", hexsum[:2], hexsum[2:])
}

func reprDigest(hexsum string) string {
	sum, _ := hex.DecodeString(hexsum)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum) + ":"
}

// putBlob streams body to a temporary file while hashing it; the file is kept
// only if the digest matches. It returns whether the blob is new.
func (h *Hub) putBlob(caller, want string, body io.Reader) (created bool, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(h.dir, "blobs", "tmp"), "put-*")
	if err != nil {
		return false, 0, err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	hash := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(body, api.MaxBlobSize+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return false, 0, problem(api.CodePayloadTooLarge, fmt.Sprintf("a blob is at most %d bytes", api.MaxBlobSize))
		}
		return false, 0, slowOrBroken(err)
	}
	if size > api.MaxBlobSize {
		return false, 0, problem(api.CodePayloadTooLarge, fmt.Sprintf("a blob is at most %d bytes", api.MaxBlobSize))
	}
	got := hex.EncodeToString(hash.Sum(nil))
	if got != want {
		return false, 0, problem(api.CodeDigestMismatch, fmt.Sprintf("the body hashes to %s, not %s; nothing was kept", got, want))
	}
	exists := false
	if err := h.db.View(func(tx *bolt.Tx) error {
		exists = tx.Bucket(bBlobs).Get([]byte(want)) != nil
		if p := h.overQuota(tx, caller, want, size); p != nil {
			return p
		}
		return nil
	}); err != nil {
		return false, 0, err
	}
	if !exists {
		if err := tmp.Sync(); err != nil {
			return false, 0, err
		}
		if err := tmp.Close(); err != nil {
			return false, 0, err
		}
		dst := h.blobPath(want)
		dir := filepath.Dir(dst)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return false, 0, err
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			return false, 0, err
		}
		tmp = nil
		if err := syncDir(dir); err != nil {
			return false, 0, err
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return false, 0, err
		}
	}
	err = h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bBlobs)
		if b.Get([]byte(want)) == nil {
			if exists {
				// collected between our look and now: the file is gone
				return problem(api.CodeRequestInProgress, "the blob was being cleaned up; upload it again")
			}
			created = true
			if err := putJSON(b, []byte(want), blobRecord{Size: size, CreatedAt: h.now()}); err != nil {
				return err
			}
		}
		if p := h.overQuota(tx, caller, want, size); p != nil {
			return p
		}
		if err := recordUpload(tx, caller, want, size); err != nil {
			return err
		}
		return tx.Bucket(bBlobACL).Put(join(want, caller), []byte{})
	})
	return created, size, err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// openBlob opens a blob visible to caller.
func (h *Hub) openBlob(caller, hexsum string) (*os.File, int64, error) {
	var rec blobRecord
	err := h.db.View(func(tx *bolt.Tx) error {
		if !blobVisible(tx, hexsum, caller) {
			return problem(api.CodeNotFound, "no such blob")
		}
		return getJSON(tx.Bucket(bBlobs), []byte(hexsum), &rec)
	})
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(h.blobPath(hexsum))
	if err != nil {
		return nil, 0, err
	}
	return f, rec.Size, nil
}

func (h *Hub) blobVisibleTo(caller, hexsum string) (int64, bool) {
	var rec blobRecord
	ok := false
	h.db.View(func(tx *bolt.Tx) error {
		if blobVisible(tx, hexsum, caller) {
			ok = getJSON(tx.Bucket(bBlobs), []byte(hexsum), &rec) == nil
		}
		return nil
	})
	return rec.Size, ok
}
