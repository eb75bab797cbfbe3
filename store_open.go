package main

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/storage"
	"motcua/storage/postgres"
)

// isPostgres reports whether --db names a PostgreSQL server (a postgres://
// URL or a "host=… dbname=…" connection string) rather than a bbolt file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") ||
		strings.Contains(db, "host=") || strings.Contains(db, "dbname=")
}

// storeLabel is how the log names the store: never with its password.
func storeLabel(db, dataDir string) string {
	if isPostgres(db) {
		return postgres.Describe(db)
	}
	return bboltPath(db, dataDir)
}

func bboltPath(db, dataDir string) string {
	if db != "" {
		return db
	}
	return filepath.Join(dataDir, "motcua.db")
}

// openStore opens the office's store: the PostgreSQL database named by db
// (several desks), or the bbolt file db (default: motcua.db in dataDir; one
// desk). The returned func closes it.
func openStore(db, dataDir string) (app.Store, func() error, error) {
	logrus.WithField("store", storeLabel(db, dataDir)).Info("opening the database")
	if isPostgres(db) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		pg, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		return pg, pg.Close, nil
	}
	b, err := storage.Open(bboltPath(db, dataDir))
	if err != nil {
		return nil, nil, err
	}
	return b, b.Close, nil
}

// handle is the open store of a desk: storage.Handle for the bbolt file,
// sharedHandle for a PostgreSQL server.
type handle interface {
	Service() *app.Service
	Store() app.Store
	With(fn func(*app.Service) error) error
	Restore(path string, progress app.Progress) (*app.Service, error)
	DataDir() string
	Close() error
}

// openHandle opens the store --db names: a PostgreSQL server (several
// desks) or the bbolt file (default: motcua.db in the data folder).
func openHandle(cfg config) (handle, error) {
	if !isPostgres(cfg.db) {
		logrus.WithField("store", storeLabel(cfg.db, cfg.dataDir)).Info("opening the database")
		return storage.OpenHandleFile(bboltPath(cfg.db, cfg.dataDir), cfg.dataDir, app.SystemClock{})
	}
	store, closeStore, err := openStore(cfg.db, cfg.dataDir)
	if err != nil {
		return nil, err
	}
	return newSharedHandle(store, closeStore, cfg.dataDir), nil
}

// errSharedStore answers the file backups and restores when the office
// runs on a server: the server is backed up with pg_dump.
var errSharedStore = app.E("Backup", app.KindInvalid,
	"Chức năng này dùng cho cơ sở dữ liệu trên một máy; ở chế độ nhiều máy, hãy sao lưu máy chủ PostgreSQL (pg_dump)")

// sharedHandle is a store shared by several desks: it is never swapped.
type sharedHandle struct {
	store app.Store
	svc   *app.Service
	dir   string
	close func() error
}

func newSharedHandle(store app.Store, closeStore func() error, dataDir string) *sharedHandle {
	return &sharedHandle{store: store, dir: dataDir, close: closeStore,
		svc: app.NewService(store, app.SystemClock{}, app.WithBackups(sharedBackups{}, dataDir))}
}

func (h *sharedHandle) Service() *app.Service                  { return h.svc }
func (h *sharedHandle) Store() app.Store                       { return h.store }
func (h *sharedHandle) With(fn func(*app.Service) error) error { return fn(h.svc) }
func (h *sharedHandle) DataDir() string                        { return h.dir }
func (h *sharedHandle) Close() error                           { return h.close() }
func (h *sharedHandle) Restore(string, app.Progress) (*app.Service, error) {
	return h.svc, errSharedStore
}

// sharedBackups is the Backups port of a shared store.
type sharedBackups struct{}

func (sharedBackups) WriteBackup(string, app.Progress) (int64, error) { return 0, errSharedStore }
func (sharedBackups) VerifyBackup(string, app.Progress) error         { return errSharedStore }
