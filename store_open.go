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
	"motcua/ui"
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

// openData opens the store --db names for the interface.
func openData(cfg config) (*ui.Data, error) {
	if !isPostgres(cfg.db) {
		return ui.OpenData(bboltPath(cfg.db, cfg.dataDir), app.SystemClock{})
	}
	store, closeStore, err := openStore(cfg.db, cfg.dataDir)
	if err != nil {
		return nil, err
	}
	return ui.OpenStoreData(store, closeStore, cfg.dataDir, app.SystemClock{}), nil
}
