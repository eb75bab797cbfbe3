package app

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Backups (sao lưu), the export of the whole office (xuất dữ liệu cơ quan)
// and the record of a restore. The copies themselves are written by the
// Backups port; the rules are here: who may, where, how many are kept, and
// the administration log entry of each.

// BackupFile is one backup of the backup folder.
type BackupFile struct {
	Name  string    // motcua-YYYYMMDD-HHMMSS.db
	Path  string    // folder + name
	Taken time.Time // from the name, Vietnam time
	Size  int64
}

// AutoBackupEvery is the age after which the automatic backup takes a new one.
const AutoBackupEvery = 24 * time.Hour

// BackupName is the file name of a backup taken at t (Vietnam time). Names
// sort in time order.
func BackupName(t time.Time) string {
	return "motcua-" + t.In(Vietnam).Format("20060102-150405") + ".db"
}

var backupNameRe = regexp.MustCompile(`^motcua-\d{8}-\d{6}\.db$`)

// ListBackups lists the backup files of dir, oldest first. Only files named
// like a backup count (and are ever deleted).
func ListBackups(dir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		kind := KindOther
		if errors.Is(err, fs.ErrNotExist) {
			kind = KindNotFound
		}
		return nil, E("ListBackups", kind, MsgBackupList, err)
	}
	var out []BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !backupNameRe.MatchString(e.Name()) {
			continue
		}
		f := BackupFile{Name: e.Name(), Path: filepath.Join(dir, e.Name())}
		f.Taken, _ = time.ParseInLocation("motcua-20060102-150405.db", e.Name(), Vietnam)
		if fi, err := e.Info(); err == nil {
			f.Size = fi.Size()
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b BackupFile) int { return cmpString(a.Name, b.Name) })
	return out, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DueBackup reports whether dir holds no backup taken within the last
// `every` before now. A missing folder counts as none.
func DueBackup(dir string, every time.Duration, now time.Time) bool {
	files, err := ListBackups(dir)
	if err != nil || len(files) == 0 {
		return true
	}
	last := files[len(files)-1].Taken
	return now.Sub(last) >= every || last.After(now)
}

// BackupPlace is the folder backups go to and how many are kept, from the
// settings; the folder defaults to the data folder's "backups".
func (s *Service) BackupPlace() (dir string, keep int, err error) {
	st, err := s.Settings()
	if err != nil {
		return "", 0, err
	}
	dir, keep = s.backupPlaceOf(st)
	return dir, keep, nil
}

// DefaultBackupDir is the backup folder when the settings name none.
func (s *Service) DefaultBackupDir() string { return filepath.Join(s.dataDir, "backups") }

func (s *Service) backupPlaceOf(st Settings) (string, int) {
	dir, keep := st.BackupDir, st.BackupKeep
	if dir == "" {
		dir = s.DefaultBackupDir()
	}
	if keep < 1 {
		keep = DefaultSettings().BackupKeep
	}
	return dir, keep
}

// authorize re-reads u inside tx (another desk may have disabled them or
// removed the role) and checks the role.
func authorize(op string, tx Tx, u *User, r Role) (UserRef, error) {
	cur, err := currentUser(op, tx, u)
	if err != nil {
		return UserRef{}, err
	}
	if err := requireRole(op, cur, r); err != nil {
		return UserRef{}, err
	}
	return cur.Ref(), nil
}

// currentUser reads u's account as it is now, inside tx: another desk may
// have disabled it or changed its roles since u signed in. A missing or
// disabled account is refused.
func currentUser(op string, tx Tx, u *User) (*User, error) {
	if u == nil {
		return nil, deny(op, op)
	}
	cur, err := tx.User(u.Username)
	switch {
	case KindOf(err) == KindNotFound:
		return nil, deny(op, op)
	case err != nil:
		return nil, err
	case cur.Disabled:
		return nil, E(op, KindPermission, MsgUserDisabled)
	}
	return cur, nil
}

func (s *Service) backupPort(op string) (Backups, error) {
	if s.backups == nil {
		return nil, E(op, KindOther, MsgBackupNotConfigured)
	}
	return s.backups, nil
}

// Backup writes a backup of the whole office (scans included) into the
// backup folder now and deletes the oldest beyond the number kept
// (administrator). The administration log records it.
func (s *Service) Backup(u *User, progress Progress) (BackupFile, error) {
	const op = "Backup"
	if err := s.store.View(func(tx Tx) error { _, err := authorize(op, tx, u, RoleAdmin); return err }); err != nil {
		return BackupFile{}, err
	}
	return s.backupInto(op, u.Ref(), "backup.create", progress)
}

// AutoBackup takes the daily backup when the newest in the folder is a day
// old, on behalf of the program itself; "" when none was due or the office
// is not set up yet. A folder that cannot be reached (a USB drive not
// plugged in) gives KindTransient.
func (s *Service) AutoBackup() (BackupFile, error) {
	const op = "AutoBackup"
	if ok, err := s.IsSetUp(); err != nil || !ok {
		return BackupFile{}, err
	}
	dir, _, err := s.BackupPlace()
	if err != nil {
		return BackupFile{}, err
	}
	if !DueBackup(dir, AutoBackupEvery, s.Now()) {
		return BackupFile{}, nil
	}
	return s.backupInto(op, UserRef{Username: "system", FullName: "Sao lưu tự động"}, "backup.auto", nil)
}

// errNoBackupKey answers a backup before the passphrase is set: a backup
// is never written in clear.
func errNoBackupKey(op string) error {
	return E(op, KindInvalid, MsgNoBackupPassphrase)
}

// sealedTo writes the office, encrypted to the backup key of st, to path
// atomically (a temporary file next to it, fsync'd, renamed).
func (s *Service) sealedTo(op string, b Backups, st Settings, path string, progress Progress) (int64, error) {
	if st.BackupRecipient == "" || st.BackupKey == "" {
		return 0, errNoBackupKey(op)
	}
	var n int64
	err := writeAtomic(path, func(f *os.File) error {
		w, err := sealTo(f, st.BackupRecipient, st.BackupKey)
		if err != nil {
			return err
		}
		if n, err = b.BackupTo(w, progress); err != nil {
			return err
		}
		return w.Close()
	})
	if err != nil {
		return 0, E(op, KindTransient, MsgBackupWriteUSB, err)
	}
	return n, nil
}

func (s *Service) backupInto(op string, who UserRef, action string, progress Progress) (BackupFile, error) {
	b, err := s.backupPort(op)
	if err != nil {
		return BackupFile{}, err
	}
	st, err := s.Settings()
	if err != nil {
		return BackupFile{}, err
	}
	dir, keep := s.backupPlaceOf(st)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BackupFile{}, E(op, KindTransient, MsgBackupUnreachable, err)
	}
	f := BackupFile{Name: BackupName(s.Now()), Taken: s.Now()}
	f.Path = filepath.Join(dir, f.Name)
	if _, err = s.sealedTo(op, b, st, f.Path, progress); err != nil {
		return BackupFile{}, err
	}
	if fi, err := os.Stat(f.Path); err == nil {
		f.Size = fi.Size()
	}
	if err := s.store.Update(func(tx Tx) error { return s.audit(tx, who, action, f.Name, FormatSize(f.Size)) }); err != nil {
		return f, err
	}
	files, err := ListBackups(dir)
	if err != nil {
		return f, err
	}
	for _, old := range files[:max(len(files)-keep, 0)] {
		if err := os.Remove(old.Path); err != nil {
			return f, E(op, KindOther, MsgBackupPrune, err)
		}
	}
	return f, nil
}

// ExportOffice writes the whole office (scans included), encrypted to the
// backup key, to path: the file to carry to a new computer (administrator).
// The passphrase proves the file can be opened: what was written is
// decrypted and checked before the export counts as done.
func (s *Service) ExportOffice(u *User, path, passphrase string, progress Progress) (int64, error) {
	const op = "ExportOffice"
	if err := s.store.View(func(tx Tx) error { _, err := authorize(op, tx, u, RoleAdmin); return err }); err != nil {
		return 0, err
	}
	b, err := s.backupPort(op)
	if err != nil {
		return 0, err
	}
	st, err := s.Settings()
	if err != nil {
		return 0, err
	}
	if st.BackupKey == "" {
		return 0, errNoBackupKey(op)
	}
	if _, err := unwrapBackupKey(op, st.BackupKey, passphrase); err != nil {
		return 0, err
	}
	// Writing is the first half of the work, checking the second.
	half := func(base int64) Progress {
		return func(done, total int64) { progress.report(base*total+done, 2*total) }
	}
	if _, err := s.sealedTo(op, b, st, path, half(0)); err != nil {
		return 0, err
	}
	plain, _, err := s.OpenBackup(path, passphrase, half(1))
	if err != nil {
		os.Remove(path)
		return 0, E(op, err)
	}
	os.Remove(plain)
	var n int64
	if fi, err := os.Stat(path); err == nil {
		n = fi.Size()
	}
	err = s.store.Update(func(tx Tx) error { return s.audit(tx, u.Ref(), "backup.export", path, FormatSize(n)) })
	return n, err
}

// VerifyBackup checks a plain database file (an opened backup, or a backup
// from before they were encrypted) before anything is done with it.
func (s *Service) VerifyBackup(path string, progress Progress) error {
	b, err := s.backupPort("VerifyBackup")
	if err != nil {
		return err
	}
	return b.VerifyBackup(path, progress)
}

// OpenBackup decrypts the sealed backup at path with the passphrase into a
// temporary file of the data folder and checks it; the caller restores from
// the returned file and removes it. A wrong passphrase or a damaged file
// fails (nothing is left behind, nothing else changes). A plain backup from
// before encryption is checked and returned as is, legacy set: the caller
// warns, and removes plain only when it differs from path.
func (s *Service) OpenBackup(path, passphrase string, progress Progress) (plain string, legacy bool, err error) {
	const op = "OpenBackup"
	b, err := s.backupPort(op)
	if err != nil {
		return "", false, err
	}
	sealed, err := IsSealed(path)
	if err != nil {
		return "", false, err
	}
	if !sealed {
		if err := b.VerifyBackup(path, progress); err != nil {
			return "", true, err
		}
		return path, true, nil
	}
	plain, err = s.unsealFile(op, b, path, passphrase, progress)
	return plain, false, err
}

func (s *Service) unsealFile(op string, b Backups, path, passphrase string, progress Progress) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", E(op, KindNotFound, MsgBackupRead, err)
	}
	defer src.Close()
	var size int64
	if fi, err := src.Stat(); err == nil {
		size = fi.Size()
	}
	dir := s.dataDir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", E(op, KindOther, MsgStoreDir, err)
	}
	s.RemoveOpenedBackups()
	f, err := os.CreateTemp(dir, openedPattern)
	if err != nil {
		return "", E(op, KindOther, MsgTempDecrypt, err)
	}
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	// Decrypting is the first half, checking the second.
	rd := &progressReader{r: src, total: size, progress: func(d, t int64) { progress.report(d, 2*t) }}
	if err := unseal(op, f, rd, passphrase); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(E(op, KindOther, MsgTempWrite, err))
	}
	if err := b.VerifyBackup(f.Name(), func(d, t int64) { progress.report(t+d, 2*t) }); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// openedPattern names the decrypted copies OpenBackup makes.
const openedPattern = ".restore-*.db"

// RemoveOpenedBackups removes decrypted copies of backups a restore left in
// the data folder (the program stopped between opening and restoring):
// they hold the citizens' data in clear. The composition root calls it at
// start; OpenBackup before each new one (one restore at a time).
func (s *Service) RemoveOpenedBackups() {
	if s.dataDir == "" {
		return
	}
	left, _ := filepath.Glob(filepath.Join(s.dataDir, openedPattern))
	for _, p := range left {
		os.Remove(p)
	}
}

// progressReader reports the bytes read every megabyte.
type progressReader struct {
	r        io.Reader
	n, last  int64
	total    int64
	progress Progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n-p.last >= 1<<20 || (err == io.EOF && p.n > p.last) {
		p.last = p.n
		p.progress.report(min(p.n, p.total), p.total)
	}
	return n, err
}

// HasBackupPassphrase reports whether the backup passphrase is set (every
// backup can be written).
func (s *Service) HasBackupPassphrase() (bool, error) {
	st, err := s.Settings()
	return st.BackupRecipient != "" && st.BackupKey != "", err
}

// SetBackupPassphrase makes a new backup key protected by passphrase
// (administrator, or the set-up wizard before the office is set up). Backups
// taken from now on open with this passphrase; older ones keep opening with
// the passphrase of their day (each file carries its own key).
func (s *Service) SetBackupPassphrase(u *User, passphrase string) error {
	const op = "SetBackupPassphrase"
	passphrase = NFC(strings.TrimSpace(passphrase))
	if score, _ := PassphraseStrength(passphrase); score < MinPassphraseScore {
		return E(op, KindInvalid, MsgPassphraseWeak,
			FieldErr("backup_passphrase", MsgPassphraseWeakShort))
	}
	setUp, err := s.IsSetUp()
	if err != nil {
		return err
	}
	recipient, wrapped, err := newBackupKey(passphrase)
	if err != nil {
		return E(op, KindOther, MsgBackupKeyCreate, err)
	}
	return s.store.Update(func(tx Tx) error {
		who := UserRef{Username: "system", FullName: "Trình cài đặt"}
		if setUp || u != nil {
			ref, err := authorize(op, tx, u, RoleAdmin)
			if err != nil {
				return err
			}
			who = ref
		}
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		st.BackupRecipient, st.BackupKey = recipient, wrapped
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		return s.audit(tx, who, "backup.passphrase", "", "")
	})
}

// writeAtomic writes path through a temporary file in the same folder:
// write, fsync, close, rename.
func writeAtomic(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// MayRestore says whether u may replace the office data with a backup:
// an administrator, or anyone before the office is set up (the wizard's
// "import an office").
func (s *Service) MayRestore(u *User) error {
	const op = "Restore"
	ok, err := s.IsSetUp()
	if err != nil || !ok {
		return err
	}
	return s.store.View(func(tx Tx) error { _, err := authorize(op, tx, u, RoleAdmin); return err })
}

// RecordRestore writes the restore into the administration log of the
// restored data, on behalf of the administrator who did it (nil: the
// set-up wizard).
func (s *Service) RecordRestore(u *User, path string) error {
	who := UserRef{Username: "system", FullName: "Trình cài đặt"}
	if u != nil {
		who = u.Ref()
	}
	return s.store.Update(func(tx Tx) error { return s.audit(tx, who, "backup.restore", filepath.Base(path), "") })
}

// FormatSize is a file size in Vietnamese notation: 812 KB, 12,4 MB.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return Decimal(float64(n)/(1<<30), 1) + " GB"
	case n >= 1<<20:
		return Decimal(float64(n)/(1<<20), 1) + " MB"
	case n >= 1<<10:
		return Thousands(n>>10) + " KB"
	}
	return Thousands(n) + " B"
}
