package client

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// BlobStore keeps attachments (scans, result files) as files named by their
// SHA-256 under DATA/blobs/sha256/ab/abcdef…: content-addressed, so a file is
// written once and never changes.
type BlobStore struct {
	dir string
}

// NewBlobStore opens (creating) the blob folder of a data folder.
func NewBlobStore(dataDir string) (*BlobStore, error) {
	dir := filepath.Join(dataDir, "blobs")
	for _, d := range []string{filepath.Join(dir, "sha256"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	return &BlobStore{dir: dir}, nil
}

var hexSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Path is where the blob with this digest lives (whether or not it exists).
func (b *BlobStore) Path(sha string) string {
	if !hexSHA.MatchString(sha) {
		return filepath.Join(b.dir, "invalid")
	}
	return filepath.Join(b.dir, "sha256", sha[:2], sha)
}

// Has reports whether the blob is stored.
func (b *BlobStore) Has(sha string) bool {
	if !hexSHA.MatchString(sha) {
		return false
	}
	_, err := os.Stat(b.Path(sha))
	return err == nil
}

// Open opens a stored blob for reading.
func (b *BlobStore) Open(sha string) (*os.File, error) {
	if !hexSHA.MatchString(sha) {
		return nil, fmt.Errorf("blob store: %q is not a SHA-256", sha)
	}
	return os.Open(b.Path(sha))
}

// Put stores the bytes of r and returns their SHA-256 and size.
func (b *BlobStore) Put(r io.Reader) (sha string, size int64, err error) {
	return b.put(r, "")
}

// PutExpect stores r only if its SHA-256 is want (a download from the hub).
func (b *BlobStore) PutExpect(r io.Reader, want string) (size int64, err error) {
	_, size, err = b.put(r, want)
	return size, err
}

// ErrDigestMismatch is returned when downloaded bytes do not hash to the
// digest they were asked for.
type ErrDigestMismatch struct{ Want, Got string }

func (e *ErrDigestMismatch) Error() string {
	return fmt.Sprintf("blob store: SHA-256 mismatch: want %s, got %s", e.Want, e.Got)
}

func (b *BlobStore) put(r io.Reader, want string) (string, int64, error) {
	f, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "blob-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if want != "" && sha != want {
		return "", 0, &ErrDigestMismatch{Want: want, Got: sha}
	}
	dst := b.Path(sha)
	if _, err := os.Stat(dst); err == nil {
		return sha, n, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	return sha, n, nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
