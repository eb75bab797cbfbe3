package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/secrets"
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
// The hub key and the database password are kept out of the database and
// the command line, protected for this user (package secrets).
func openHandle(cfg config) (handle, error) {
	sec := secrets.Open(cfg.dataDir)
	if !isPostgres(cfg.db) {
		logrus.WithField("store", storeLabel(cfg.db, cfg.dataDir)).Info("opening the database")
		return storage.OpenHandleFile(bboltPath(cfg.db, cfg.dataDir), cfg.dataDir, app.SystemClock{}, app.WithSecrets(sec))
	}
	dsn, err := withDBPassword(cfg.db, sec)
	if err != nil {
		return nil, err
	}
	store, closeStore, err := openStore(dsn, cfg.dataDir)
	if err != nil {
		return nil, err
	}
	return newSharedHandle(store, closeStore, cfg.dataDir, app.WithSecrets(sec)), nil
}

// secretDBPassword names the PostgreSQL password among the secrets.
const secretDBPassword = "db_password"

var kvPassword = regexp.MustCompile(`(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)

// splitPassword finds the password of a connection string: it returns
// the password, whether there was one, and the string without it.
func splitPassword(dsn string) (pw string, has bool, rest string) {
	u, uerr := url.Parse(dsn)
	if uerr == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		pw, has = u.User.Password()
		if has {
			u.User = url.User(u.User.Username())
		}
		if q := u.Query(); q.Has("password") {
			if !has {
				pw, has = q.Get("password"), true
			}
			q.Del("password")
			u.RawQuery = q.Encode()
		}
		return pw, has, u.String()
	}
	if m := kvPassword.FindStringSubmatchIndex(dsn); m != nil {
		pw = strings.Trim(dsn[m[2]:m[3]], "'")
		pw = strings.NewReplacer(`\'`, "'", `\\`, `\`).Replace(pw)
		return pw, true, strings.TrimSpace(dsn[:m[0]] + dsn[m[1]:])
	}
	return "", false, dsn
}

// withDBPassword keeps the password of a connection string among the
// secrets of this computer (and says to take it off the command line), or
// puts the kept one into a connection string given without it.
func withDBPassword(dsn string, sec app.Secrets) (string, error) {
	pw, has, _ := splitPassword(dsn)
	if has {
		if err := sec.SetSecret(secretDBPassword, pw); err != nil {
			return "", err
		}
		logrus.Warn("the database password was saved protected for this user: remove it from --db / MOTCUA_DB")
		return dsn, nil
	}
	kept, err := sec.Secret(secretDBPassword)
	if err != nil || kept == "" {
		return dsn, err
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		user := ""
		if u.User != nil {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, kept)
		return u.String(), nil
	}
	return dsn + " password='" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(kept) + "'", nil
}

// errSharedStore answers the file backups and restores when the office
// runs on a server: the server is backed up with pg_dump.
var errSharedStore = app.E("Backup", app.KindInvalid, app.MsgSharedStoreBackup)

// sharedHandle is a store shared by several desks: it is never swapped.
type sharedHandle struct {
	store app.Store
	svc   *app.Service
	dir   string
	close func() error

	stopLive func() // ends the change feed of the other desks (nil: none)
}

func newSharedHandle(store app.Store, closeStore func() error, dataDir string, opts ...app.Option) *sharedHandle {
	h := &sharedHandle{store: store, dir: dataDir, close: closeStore,
		svc: app.NewService(store, app.SystemClock{}, append([]app.Option{app.WithBackups(sharedBackups{}, dataDir)}, opts...)...)}
	if db, ok := store.(*postgres.DB); ok {
		h.stopLive = followChanges(db, h.svc)
	}
	return h
}

// followChanges passes what every desk commits to the shared database (its
// notifications, postgres.DB.Changes) to the service's change feed, so that
// open screens refresh themselves; the returned func stops it and waits.
func followChanges(db *postgres.DB, svc *app.Service) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = db.Changes(ctx, func(c postgres.Change) {
			svc.Announce(app.Change{Kind: app.ChangeKind(c.Kind), Key: c.Key})
		})
	}()
	return func() { cancel(); <-done }
}

func (h *sharedHandle) Service() *app.Service                  { return h.svc }
func (h *sharedHandle) Store() app.Store                       { return h.store }
func (h *sharedHandle) With(fn func(*app.Service) error) error { return fn(h.svc) }
func (h *sharedHandle) DataDir() string                        { return h.dir }
func (h *sharedHandle) Close() error {
	if h.stopLive != nil {
		h.stopLive()
		h.stopLive = nil
	}
	return h.close()
}
func (h *sharedHandle) Restore(string, app.Progress) (*app.Service, error) {
	return h.svc, errSharedStore
}

// sharedBackups is the Backups port of a shared store.
type sharedBackups struct{}

func (sharedBackups) WriteBackup(string, app.Progress) (int64, error) { return 0, errSharedStore }
func (sharedBackups) BackupTo(io.Writer, app.Progress) (int64, error) { return 0, errSharedStore }
func (sharedBackups) VerifyBackup(string, app.Progress) error         { return errSharedStore }

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
	// This data folder now opens the server, like after Cài đặt → Máy chủ:
	// the connection in server.conf, its password among the secrets.
	pw, _, rest := splitPassword(dsn)
	if err := secrets.Open(dataDir).SetSecret(secretDBPassword, pw); err != nil {
		return fail(err)
	}
	if err := saveServer(dataDir, rest); err != nil {
		return fail(err)
	}
	fmt.Fprintf(out, "Từ nay chương trình trên máy này mở máy chủ %s (ghi trong %s; mật khẩu giữ riêng trong thư mục secrets)\n",
		postgres.Describe(rest), filepath.Join(dataDir, serverFile))
	return 0
}
