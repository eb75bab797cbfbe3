package client

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"motcua/app"
)

// Attachments (scans, result files) live in the office's store, named by
// their SHA-256 (app.Tx PutScan/Scan). Earlier versions kept them as files
// under DATA/blobs/sha256/ab/abcdef…: ImportBlobFolder moves those in.

var hexSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ErrDigestMismatch is returned when downloaded bytes do not hash to the
// digest they were asked for.
type ErrDigestMismatch struct{ Want, Got string }

func (e *ErrDigestMismatch) Error() string {
	return fmt.Sprintf("attachment: SHA-256 mismatch: want %s, got %s", e.Want, e.Got)
}

// readVerified reads a download whole (at most app.MaxScanSize bytes) and
// checks that it hashes to want.
func readVerified(r io.Reader, want string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, app.MaxScanSize+1))
	if err != nil {
		return nil, fmt.Errorf("attachment: %w", err)
	}
	if len(data) > app.MaxScanSize {
		return nil, fmt.Errorf("attachment: larger than %d bytes", app.MaxScanSize)
	}
	h := sha256.Sum256(data)
	if got := hex.EncodeToString(h[:]); got != want {
		return nil, &ErrDigestMismatch{Want: want, Got: got}
	}
	return data, nil
}

// ImportBlobFolder moves the attachments of an earlier version's blob
// folder (DATA/blobs) into the store, each checked against its name, then
// renames the folder to blobs.imported. It returns how many were moved; a
// data folder without one does nothing.
func ImportBlobFolder(store app.Store, dataDir string) (int, error) {
	dir := filepath.Join(dataDir, "blobs")
	root := filepath.Join(dir, "sha256")
	if _, err := os.Stat(root); err != nil {
		return 0, nil
	}
	n := 0
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !hexSHA.MatchString(e.Name()) {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		data, err := readVerified(f, e.Name())
		f.Close()
		if err != nil {
			return nil // a damaged file is left where it is, in blobs.imported
		}
		n++
		return store.Update(func(tx app.Tx) error { return tx.PutScan(e.Name(), data) })
	})
	if err != nil {
		return n, app.E("client.ImportBlobFolder", app.KindOther, app.MsgBlobImport, err)
	}
	return n, os.Rename(dir, dir+".imported")
}
