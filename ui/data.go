package ui

import (
	"path/filepath"
	"sync"

	"motcua/app"
	"motcua/storage"
)

// Data owns the open database file and the service built on it. Restoring
// a backup has to close the file, replace it and open it again, so nothing
// else keeps the *storage.DB: the interface asks Data for the current
// service, and background work (the daily backup, the integrity check) runs
// under its lock so that it never meets a closed file.
type Data struct {
	path  string
	clock app.Clock

	mu  sync.RWMutex
	db  *storage.DB
	svc *app.Service

	closeShared func() error // set when the store is shared by several desks (OpenStoreData)
}

// OpenData opens (or creates) the database at path.
func OpenData(path string, clock app.Clock) (*Data, error) {
	db, err := storage.Open(path)
	if err != nil {
		return nil, err
	}
	return &Data{path: path, clock: clock, db: db, svc: app.NewService(db, clock)}, nil
}

// Path is the database file.
func (d *Data) Path() string { return d.path }

// Dir is the data folder (the database's folder).
func (d *Data) Dir() string { return filepath.Dir(d.path) }

// Service is the service over the current database.
func (d *Data) Service() *app.Service {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.svc
}

// With runs fn with the open database, holding off a restore meanwhile.
func (d *Data) With(fn func(db *storage.DB, svc *app.Service) error) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closeShared != nil {
		return errSharedStore
	}
	if d.db == nil {
		return app.E("Data", app.KindTransient, "Cơ sở dữ liệu đang được khôi phục, hãy thử lại sau")
	}
	return fn(d.db, d.svc)
}

// Close closes the database.
func (d *Data) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closeShared != nil {
		err := d.closeShared()
		d.closeShared, d.svc = nil, nil
		return err
	}
	if d.db == nil {
		return nil
	}
	err := d.db.Close()
	d.db, d.svc = nil, nil
	return err
}

// Restore replaces the database with the backup file: it checks the file
// first (a damaged one changes nothing), closes the database, lets
// storage.Restore swap the files (the old one stays as .before-restore),
// and opens the result with a new service. When the swap fails the
// previous database is opened again. The caller stops every other user of
// the old service first (the liên thông client).
func (d *Data) Restore(backup string) (*app.Service, error) {
	if d.closeShared != nil {
		return nil, errSharedStore
	}
	if err := storage.VerifyBackupFile(backup); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db != nil {
		if err := d.db.Close(); err != nil {
			return nil, app.E("Restore", app.KindOther, "Không đóng được cơ sở dữ liệu", err)
		}
		d.db, d.svc = nil, nil
	}
	rerr := storage.Restore(d.path, backup)
	db, err := storage.Open(d.path)
	if err != nil {
		return nil, err
	}
	d.db, d.svc = db, app.NewService(db, d.clock)
	if rerr != nil {
		return d.svc, rerr
	}
	return d.svc, nil
}
