package storage

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// Backup writes a consistent copy of the whole database to w while it stays
// open and usable: a read transaction (bbolt Tx.WriteTo), so writers are not
// blocked, and the copy is the state at the moment the backup began.
var _ app.Backups = (*DB)(nil)

func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, app.E("storage.Backup", app.KindOther, app.MsgBackupFailed, err)
	}
	return n, nil
}

// BackupToFile writes a backup to path atomically: a temporary file in the
// same folder, fsync'd, then renamed over path. A crash leaves either the old
// file or the new one, never half a backup.
func (db *DB) BackupToFile(path string) error {
	const op = "storage.BackupToFile"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return app.E(op, app.KindOther, app.MsgBackupDir, err)
	}
	err := writeAtomic(path, func(f *os.File) error {
		_, err := db.Backup(f)
		return err
	})
	if err != nil {
		return app.E(op, app.KindOther, app.MsgBackupWrite, err)
	}
	return nil
}

// WriteBackup writes a backup to path atomically, reporting bytes written
// (app.Backups). Scans are in the file, so the copy carries them.
func (db *DB) WriteBackup(path string, progress app.Progress) (int64, error) {
	const op = "storage.WriteBackup"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, app.E(op, app.KindTransient, app.MsgBackupDirUnreachable, err)
	}
	var n int64
	err := writeAtomic(path, func(f *os.File) error {
		return db.bolt.View(func(tx *bolt.Tx) (err error) {
			n, err = tx.WriteTo(&countingWriter{w: f, total: tx.Size(), progress: progress})
			return err
		})
	})
	if err != nil {
		return 0, app.E(op, app.KindOther, app.MsgBackupWrite, err)
	}
	return n, nil
}

// countingWriter reports every megabyte written.
type countingWriter struct {
	w        io.Writer
	n, last  int64
	total    int64
	progress app.Progress
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.progress != nil && (c.n-c.last >= 1<<20 || c.n >= c.total) {
		c.last = c.n
		c.progress(min(c.n, c.total), c.total)
	}
	return n, err
}

// VerifyBackupFile checks that path is a whole Một Cửa database this program
// can open: every page of every bucket read, bbolt's consistency check
// (tx.Check: every page reachable once, keys in order), the schema version
// and the buckets of that schema. It reads the whole file: seconds for a large
// one, never on a list screen.
//
// A damaged file makes bbolt panic (its page assertions) or fault (pages past
// the end of a truncated file). The reading therefore runs in its own
// goroutine with faults turned into panics and every panic into an error,
// and the pages tx.Check reads in its own goroutine (where a panic could not
// be recovered) have all been read first.
func VerifyBackupFile(path string) error { return verifyBackup(path, nil) }

// VerifyBackup is VerifyBackupFile reporting bytes read (app.Backups).
func (db *DB) VerifyBackup(path string, progress app.Progress) error {
	return verifyBackup(path, progress)
}

func verifyBackup(path string, progress app.Progress) error {
	const op = "storage.VerifyBackupFile"
	if fi, err := os.Stat(path); err != nil {
		return app.E(op, app.KindNotFound, app.MsgBackupNotFound, err)
	} else if !fi.Mode().IsRegular() {
		return badBackup(fmt.Errorf("%s is not a file", path))
	}
	done := make(chan error, 1)
	go func() {
		debug.SetPanicOnFault(true)
		defer func() {
			if r := recover(); r != nil {
				done <- badBackup(fmt.Errorf("%v", r))
			}
		}()
		done <- verify(path, progress)
	}()
	return <-done
}

func badBackup(err error) error {
	return app.E("storage.VerifyBackupFile", app.KindInvalid, app.MsgBackupCorrupt, err)
}

func verify(path string, progress app.Progress) error {
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second, PreLoadFreelist: true})
	if err != nil {
		return badBackup(err)
	}
	defer bdb.Close()
	if err := checkFreelistPage(path); err != nil {
		return badBackup(err)
	}
	return bdb.View(func(tx *bolt.Tx) error {
		v, err := checkSchema(tx)
		if err != nil {
			return err
		}
		if v < 1 {
			return badBackup(fmt.Errorf("no schema version"))
		}
		if v == 1 {
			for _, b := range [][]byte{bDossiers, bSummaries, bHistory, bIdxState, bCounters, bAudit, bOutbox} {
				if tx.Bucket(b) == nil {
					return badBackup(fmt.Errorf("bucket %s missing", b))
				}
			}
		}
		// Progress is the bytes of keys and values read, against the file's
		// size (a little more than their sum); the check after is quick.
		total, read, last := tx.Size(), int64(0), int64(0)
		var walk func(b *bolt.Bucket) error
		walk = func(b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				read += int64(len(k) + len(v))
				if progress != nil && read-last > 1<<20 {
					last = read
					progress(min(read, total*9/10), total)
				}
				if v == nil {
					if sub := b.Bucket(k); sub != nil {
						return walk(sub)
					}
				}
				return nil
			})
		}
		err = tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
		if err != nil {
			return badBackup(err)
		}
		// Drain the channel: Check keeps reading pages after its first
		// error, and must be done before the file is unmapped.
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = badBackup(err)
			}
		}
		if first == nil && progress != nil {
			progress(total, total)
		}
		return first
	})
}

// checkFreelistPage reads the headers of both meta pages and of the freelist
// page named by the current meta page: tx.Check asserts them in a goroutine
// of its own. The
// layout is bbolt's (little-endian on the machines we ship for).
func checkFreelistPage(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 80)
	var best []byte
	pageSize := 0
	for i := 0; i < 2; i++ {
		off := int64(0)
		if i == 1 {
			if pageSize == 0 {
				pageSize = os.Getpagesize()
			}
			off = int64(pageSize)
		}
		if _, err := f.ReadAt(head, off); err != nil {
			return fmt.Errorf("meta page %d: %w", i, err)
		}
		if binary.LittleEndian.Uint64(head) != uint64(i) || binary.LittleEndian.Uint16(head[8:]) != 0x04 {
			return fmt.Errorf("meta page %d is damaged", i)
		}
		m := head[16:]
		h := fnv.New64a()
		h.Write(m[:56])
		if binary.LittleEndian.Uint32(m[0:]) != 0xED0CDAED || binary.LittleEndian.Uint64(m[56:]) != h.Sum64() {
			continue
		}
		if i == 0 {
			pageSize = int(binary.LittleEndian.Uint32(m[8:]))
		}
		if best == nil || binary.LittleEndian.Uint64(m[48:]) > binary.LittleEndian.Uint64(best[48:]) {
			best = append([]byte{}, m...)
		}
	}
	if best == nil || pageSize == 0 {
		return fmt.Errorf("no valid meta page")
	}
	fl := binary.LittleEndian.Uint64(best[32:])
	if fl == ^uint64(0) {
		return nil // no freelist stored
	}
	page := make([]byte, 16)
	if _, err := f.ReadAt(page, int64(fl)*int64(pageSize)); err != nil {
		return fmt.Errorf("freelist page %d: %w", fl, err)
	}
	if binary.LittleEndian.Uint64(page) != fl || binary.LittleEndian.Uint16(page[8:]) != 0x10 {
		return fmt.Errorf("freelist page %d is damaged", fl)
	}
	return nil
}

// Restore replaces the database at dbPath with a verified copy of backupPath.
// The caller closes the database first; Restore refuses (KindLocked) when
// the file is still open here or in another program. The previous file is
// kept as dbPath + ".before-restore" (replacing an older one), so a restore
// can itself be undone.
func Restore(dbPath, backupPath string) error {
	if err := VerifyBackupFile(backupPath); err != nil {
		return err
	}
	return restoreFile(dbPath, backupPath)
}

// restoreFile is Restore of a file already verified.
func restoreFile(dbPath, backupPath string) error {
	const op = "storage.Restore"
	if _, err := os.Stat(dbPath); err == nil {
		// Taking the lock proves nobody uses the file (bbolt's lock is per
		// open file, so this process's own open DB counts too).
		bdb, err := bolt.Open(dbPath, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			return app.E(op, app.KindLocked, ErrLockedMsg, err)
		}
		bdb.Close()
	}
	src, err := os.Open(backupPath)
	if err != nil {
		return app.E(op, app.KindOther, app.MsgBackupRead, err)
	}
	defer src.Close()
	fail := func(err error) error {
		return app.E(op, app.KindOther, app.MsgRestoreFailed, err)
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return fail(err)
	}
	tmp, err := tempFile(dbPath, func(f *os.File) error { _, err := io.Copy(f, src); return err })
	if err != nil {
		return fail(err)
	}
	before := dbPath + ".before-restore"
	kept := false
	if err := os.Rename(dbPath, before); err == nil {
		kept = true
	} else if !os.IsNotExist(err) {
		os.Remove(tmp)
		return fail(err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		if kept {
			os.Rename(before, dbPath) // put the old file back
		}
		os.Remove(tmp)
		return fail(err)
	}
	syncDir(filepath.Dir(dbPath))
	return nil
}

// writeAtomic writes path through a temporary file in the same folder:
// write, fsync, close, rename, fsync the folder.
func writeAtomic(path string, write func(*os.File) error) error {
	tmp, err := tempFile(path, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// tempFile writes, fsyncs and closes a temporary file next to path and
// returns its name; it leaves nothing behind on error.
func tempFile(path string, write func(*os.File) error) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// syncDir makes a rename durable on Unix; Windows cannot open a folder for
// fsync and its rename is durable enough with the file already synced.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
