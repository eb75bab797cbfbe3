package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
	if u == nil {
		return UserRef{}, deny(op, op)
	}
	cur, err := tx.User(u.Username)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return UserRef{}, deny(op, op)
		}
		return UserRef{}, err
	}
	if cur.Disabled {
		return UserRef{}, E(op, KindPermission, MsgUserDisabled)
	}
	if err := requireRole(op, cur, r); err != nil {
		return UserRef{}, err
	}
	return cur.Ref(), nil
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

func (s *Service) backupInto(op string, who UserRef, action string, progress Progress) (BackupFile, error) {
	b, err := s.backupPort(op)
	if err != nil {
		return BackupFile{}, err
	}
	dir, keep, err := s.BackupPlace()
	if err != nil {
		return BackupFile{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BackupFile{}, E(op, KindTransient, MsgBackupUnreachable, err)
	}
	f := BackupFile{Name: BackupName(s.Now()), Taken: s.Now()}
	f.Path = filepath.Join(dir, f.Name)
	if f.Size, err = b.WriteBackup(f.Path, progress); err != nil {
		return BackupFile{}, E(op, err)
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

// ExportOffice writes the whole office (scans included) to path, the file
// to carry to a new computer, and checks what was written (administrator).
func (s *Service) ExportOffice(u *User, path string, progress Progress) (int64, error) {
	const op = "ExportOffice"
	if err := s.store.View(func(tx Tx) error { _, err := authorize(op, tx, u, RoleAdmin); return err }); err != nil {
		return 0, err
	}
	b, err := s.backupPort(op)
	if err != nil {
		return 0, err
	}
	// Writing is the first half of the work, checking the second.
	half := func(base int64) Progress {
		return func(done, total int64) { progress.report(base*total+done, 2*total) }
	}
	n, err := b.WriteBackup(path, half(0))
	if err == nil {
		err = b.VerifyBackup(path, half(1))
	}
	if err != nil {
		return 0, E(op, err)
	}
	err = s.store.Update(func(tx Tx) error { return s.audit(tx, u.Ref(), "backup.export", path, FormatSize(n)) })
	return n, err
}

// VerifyBackup checks a backup or exported office before anything is done
// with it.
func (s *Service) VerifyBackup(path string, progress Progress) error {
	b, err := s.backupPort("VerifyBackup")
	if err != nil {
		return err
	}
	return b.VerifyBackup(path, progress)
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
