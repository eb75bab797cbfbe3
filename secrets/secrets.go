// Package secrets keeps the secrets of one computer out of the database:
// the liên thông (hub) key and the PostgreSQL password. Each is a file of
// the data folder's "secrets" folder, protected for the Windows user
// account with DPAPI (CryptProtectData) on Windows and readable only by its
// owner (0600, in a 0700 folder) elsewhere. Nothing here logs or returns a
// secret in an error. It must not import app's use cases' dependencies:
// only app's error vocabulary.
package secrets

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"motcua/app"
)

// Store is the secrets folder of a data folder (app.Secrets).
type Store struct{ dir string }

var _ app.Secrets = (*Store)(nil)

// Open is the store in dataDir/secrets (made on the first Put).
func Open(dataDir string) *Store { return &Store{dir: filepath.Join(dataDir, "secrets")} }

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

func (s *Store) path(op, name string) (string, error) {
	if !nameRe.MatchString(name) {
		return "", app.E(op, app.KindInvalid, "Tên khóa bí mật không hợp lệ")
	}
	return filepath.Join(s.dir, name), nil
}

// Secret returns the secret called name, "" when none is kept.
func (s *Store) Secret(name string) (string, error) {
	const op = "secrets.Get"
	p, err := s.path(op, name)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", app.E(op, app.KindOther, "Không đọc được khóa bí mật "+name, errors.New("read failed"))
	}
	tightenMode(p)
	plain, err := unprotect(b)
	if err != nil {
		return "", app.E(op, app.KindOther, "Không giải mã được khóa bí mật "+name+" (tài khoản Windows khác?)", errors.New("unprotect failed"))
	}
	return string(plain), nil
}

// SetSecret keeps value as the secret called name ("" removes it),
// atomically and readable only by this user.
func (s *Store) SetSecret(name, value string) error {
	const op = "secrets.Put"
	p, err := s.path(op, name)
	if err != nil {
		return err
	}
	if value == "" {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return app.E(op, app.KindOther, "Không xóa được khóa bí mật "+name, errors.New("remove failed"))
		}
		return nil
	}
	fail := func() error {
		return app.E(op, app.KindOther, "Không lưu được khóa bí mật "+name, errors.New("write failed"))
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fail()
	}
	os.Chmod(s.dir, 0o700)
	sealed, err := protect([]byte(value))
	if err != nil {
		return fail()
	}
	f, err := os.CreateTemp(s.dir, "."+name+".tmp-*")
	if err != nil {
		return fail()
	}
	_, err = f.Write(sealed)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return fail()
	}
	return nil
}
