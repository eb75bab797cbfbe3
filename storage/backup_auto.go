package storage

import (
	"os"
	"time"

	"motcua/app"
)

// DueBackup reports whether dir has no backup taken within the last `every`
// before now (the daily automatic backup). A missing folder counts as none.
func DueBackup(dir string, every time.Duration, now time.Time) bool {
	names, err := Backups(dir)
	if err != nil || len(names) == 0 {
		return true
	}
	last, err := time.ParseInLocation("motcua-20060102-150405.db", names[len(names)-1], app.Vietnam)
	return err != nil || now.Sub(last) >= every || last.After(now)
}

// AutoBackup takes a backup into dir when DueBackup says so, keeping the
// newest keep files. It returns the path written, or "" when none was due.
// The folder may be a USB drive that is not plugged in: the error says so.
func (db *DB) AutoBackup(dir string, keep int, every time.Duration, now time.Time) (string, error) {
	if !DueBackup(dir, every, now) {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", app.E("storage.AutoBackup", app.KindTransient, app.MsgBackupUnreachable, err)
	}
	return db.BackupTo(dir, keep, now)
}
