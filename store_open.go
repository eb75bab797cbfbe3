package main

import (
	"context"
	"fmt"
	"io"
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

// moveUp copies the one-desk office in dataDir into the empty PostgreSQL
// database dsn (motcua --migrate-to postgres://…), checks every history chain
// there, and says what it did on out. The file is only read; the program
// must not be running on it. It returns the exit status.
func moveUp(dataDir, dsn string, out io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(out, "Không chuyển được dữ liệu:", postgres.Redact(err.Error()))
		return 1
	}
	if !isPostgres(dsn) {
		return fail(fmt.Errorf("--migrate-to cần chuỗi kết nối PostgreSQL (postgres://…), không phải %q", dsn))
	}
	src, err := storage.Open(bboltPath("", dataDir), storage.ReadOnly())
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dst, err := postgres.Open(ctx, dsn)
	if err != nil {
		return fail(err)
	}
	defer dst.Close()
	logrus.WithField("from", bboltPath("", dataDir)).WithField("to", postgres.Describe(dsn)).Info("moving the office to the server")
	rep, err := dst.MoveUp(src)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(out, "Đã chuyển lên %s: %s\n", postgres.Describe(dsn), rep)
	ir, err := app.NewService(dst, app.SystemClock{}).CheckIntegrity(true)
	if err != nil {
		return fail(err)
	}
	if !ir.OK() {
		fmt.Fprintf(out, "Kiểm tra toàn vẹn trên máy chủ: %d chỗ hỏng\n", len(ir.Breaks))
		return 1
	}
	fmt.Fprintf(out, "Kiểm tra toàn vẹn trên máy chủ: đạt (%d chuỗi lịch sử hồ sơ, %d mục nhật ký quản trị)\n", ir.Dossiers, ir.Audit)
	fmt.Fprintf(out, "Từ nay mở chương trình với --db %s\n", postgres.Describe(dsn))
	return 0
}
