package storage

import (
	"path/filepath"
	"sync"

	"motcua/app"
)

// Handle owns the open database file of a data folder and the service built
// on it. Restoring a backup has to close the file, replace it and open it
// again, so nothing else keeps the *DB: callers ask the Handle for the
// current service, and background work (the daily backup, the integrity
// check) runs under its lock so that it never meets a closed file.
type Handle struct {
	dir   string
	path  string
	clock app.Clock

	mu  sync.RWMutex
	db  *DB
	svc *app.Service
}

// OpenHandle opens (or creates) the database motcua.db of the data folder.
func OpenHandle(dataDir string, clock app.Clock) (*Handle, error) {
	return OpenHandleFile(filepath.Join(dataDir, "motcua.db"), dataDir, clock)
}

// OpenHandleFile opens (or creates) the database at path for the data
// folder dataDir (whose "backups" is the default backup place).
func OpenHandleFile(path, dataDir string, clock app.Clock) (*Handle, error) {
	h := &Handle{dir: dataDir, path: path, clock: clock}
	db, err := Open(h.path)
	if err != nil {
		return nil, err
	}
	h.db, h.svc = db, h.service(db)
	return h, nil
}

func (h *Handle) service(db *DB) *app.Service {
	return app.NewService(db, h.clock, app.WithBackups(db, h.dir))
}

// DataDir is the data folder.
func (h *Handle) DataDir() string { return h.dir }

// Path is the database file.
func (h *Handle) Path() string { return h.path }

// Service is the service over the current database.
func (h *Handle) Service() *app.Service {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.svc
}

// Store is the current database (nil while closed).
func (h *Handle) Store() app.Store {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.db == nil {
		return nil
	}
	return h.db
}

// With runs fn with the current service, holding off a restore meanwhile.
func (h *Handle) With(fn func(svc *app.Service) error) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.db == nil {
		return app.E("Data", app.KindTransient, app.MsgRestoring)
	}
	return fn(h.svc)
}

// Close closes the database.
func (h *Handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.db == nil {
		return nil
	}
	err := h.db.Close()
	h.db, h.svc = nil, nil
	return err
}

// Restore replaces the database with the backup file: it checks the file
// first (a damaged one changes nothing), closes the database, swaps the
// files (the old one stays as .before-restore) and opens the result with a
// new service. A file that does not verify changes nothing (the current
// service is returned with the error); when the swap fails the previous
// database is opened again.
// The caller stops every other user of the old service first (the liên
// thông client). Progress covers the check of the file.
func (h *Handle) Restore(backup string, progress app.Progress) (*app.Service, error) {
	if err := verifyBackup(backup, progress); err != nil {
		return h.Service(), err // nothing changed
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.db != nil {
		if err := h.db.Close(); err != nil {
			return nil, app.E("Restore", app.KindOther, app.MsgDBClose, err)
		}
		h.db, h.svc = nil, nil
	}
	rerr := restoreFile(h.path, backup)
	db, err := Open(h.path)
	if err != nil {
		return nil, err
	}
	h.db, h.svc = db, h.service(db)
	return h.svc, rerr
}
