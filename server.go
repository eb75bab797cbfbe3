package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/secrets"
	"motcua/storage"
	"motcua/storage/postgres"
)

// The office server, as the screens reach it (app.Servers): the set-up
// wizard's "Nhiều máy — máy chủ PostgreSQL" and Cài đặt → "Chuyển dữ liệu
// lên máy chủ". The chosen connection is kept for the next starts in
// serverFile of the data folder, without its password, which goes to the
// protected secrets (package secrets) like the hub key; --db and MOTCUA_DB
// still come first.

// serverFile holds this desk's connection string, without password.
const serverFile = "server.conf"

// savedServer is the connection string kept in dataDir ("" when none).
func savedServer(dataDir string) string {
	b, err := os.ReadFile(filepath.Join(dataDir, serverFile))
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	return ""
}

// saveServer keeps dsn (without password) for the next starts, atomically.
func saveServer(dataDir, dsn string) error {
	const op = "saveServer"
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return app.E(op, app.KindOther, err)
	}
	text := "# Máy chủ PostgreSQL của cơ quan (mật khẩu được giữ riêng, đã mã hóa, trong thư mục secrets)\n" + dsn + "\n"
	tmp := filepath.Join(dataDir, serverFile+".tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		return app.E(op, app.KindOther, err)
	}
	if err := os.Rename(tmp, filepath.Join(dataDir, serverFile)); err != nil {
		return app.E(op, app.KindOther, err)
	}
	return nil
}

// checkedConn normalises and validates c.
func checkedConn(c app.ServerConn) (app.ServerConn, error) {
	c = c.Normalize()
	return c, c.Check()
}

// Test connects to c and says what is there (app.Servers).
func (d *desk) Test(ctx context.Context, c app.ServerConn) (app.ServerInfo, error) {
	c, err := checkedConn(c)
	if err != nil {
		return app.ServerInfo{}, err
	}
	p, err := postgres.Check(ctx, postgres.ConnString(c, true))
	if err != nil {
		logrus.WithError(err).WithField("server", postgres.ConnString(c, false)).Info("connection test")
		return app.ServerInfo{}, err
	}
	logrus.WithField("server", postgres.ConnString(c, false)).WithField("version", p.Version).Info("connection test: ok")
	return app.ServerInfo{Version: p.Version, Office: p.Office, AgencyName: p.AgencyName}, nil
}

// Shared reports whether the desk works on a server (app.Servers).
func (d *desk) Shared() bool {
	_, ok := d.swap().current().(*sharedHandle)
	return ok
}

// Use keeps c for the next starts and reopens the desk on it (app.Servers).
func (d *desk) Use(c app.ServerConn) (*app.Service, error) {
	c, err := checkedConn(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, postgres.ConnString(c, true))
	if err != nil {
		return nil, err
	}
	return d.switchTo(c, db)
}

// MoveUp copies this desk's office to the empty database c, checks it
// there and switches the desk to it (app.Servers).
func (d *desk) MoveUp(c app.ServerConn, progress app.Progress) (app.MoveUpReport, *app.Service, error) {
	const op = "MoveUp"
	var rep app.MoveUpReport
	c, err := checkedConn(c)
	if err != nil {
		return rep, nil, err
	}
	src, ok := d.Store().(*storage.DB)
	if !ok {
		return rep, nil, app.E(op, app.KindInvalid, "Máy này đã dùng máy chủ: không còn dữ liệu riêng để chuyển lên")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, postgres.ConnString(c, true))
	if err != nil {
		return rep, nil, err
	}
	// The hub's sender and poller write to the office: they stop while it moves.
	d.stopHub()
	restart := func() {
		d.connect()
		if s := d.Sync(); s != nil {
			s.Start(context.Background())
		}
	}
	logrus.WithField("to", postgres.ConnString(c, false)).Info("moving the office to the server")
	moved, err := db.MoveUpWith(src, progress)
	if err != nil {
		db.Close()
		restart()
		return rep, nil, err
	}
	rep.Moved = moved.String()
	ir, err := app.NewService(db, app.SystemClock{}).CheckIntegrity(true)
	if err != nil {
		db.Close()
		restart()
		return rep, nil, err
	}
	rep.Integrity = *ir
	if !ir.OK() {
		db.Close()
		restart()
		return rep, nil, app.E(op, app.KindInvalid, fmt.Sprintf("Kiểm tra toàn vẹn trên máy chủ không đạt (%d chỗ hỏng): máy này vẫn dùng dữ liệu riêng", len(ir.Breaks)))
	}
	logrus.WithField("moved", rep.Moved).Info("office moved to the server")
	svc, err := d.switchTo(c, db)
	return rep, svc, err
}

// switchTo keeps c (the password among the secrets, the rest in
// serverFile) and replaces the desk's store with db.
func (d *desk) switchTo(c app.ServerConn, db *postgres.DB) (*app.Service, error) {
	dir := d.DataDir()
	sec := secrets.Open(dir)
	if err := sec.SetSecret(secretDBPassword, c.Password); err != nil {
		db.Close()
		return nil, err
	}
	if err := saveServer(dir, postgres.ConnString(c, false)); err != nil {
		db.Close()
		return nil, err
	}
	d.stopHub()
	h := newSharedHandle(db, db.Close, dir, app.WithSecrets(sec))
	d.swap().replace(h)
	if err := h.Service().MoveSecretsOut(); err != nil {
		logrus.WithError(err).Error("moving the hub key out of the database")
	}
	d.connect()
	if s := d.Sync(); s != nil {
		s.Start(context.Background())
	}
	logrus.WithField("server", postgres.ConnString(c, false)).Info("this desk now works on the server")
	return h.Service(), nil
}

func (d *desk) swap() *swapHandle { return d.handle.(*swapHandle) }

// swapHandle is the desk's store, replaced when the desk moves to a server.
type swapHandle struct {
	mu sync.RWMutex
	h  handle
}

func (s *swapHandle) current() handle {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.h
}

// replace puts h in place and closes the previous store.
func (s *swapHandle) replace(h handle) {
	s.mu.Lock()
	old := s.h
	s.h = h
	s.mu.Unlock()
	if err := old.Close(); err != nil {
		logrus.WithError(err).Error("closing the previous database")
	}
}

func (s *swapHandle) Service() *app.Service                  { return s.current().Service() }
func (s *swapHandle) Store() app.Store                       { return s.current().Store() }
func (s *swapHandle) With(fn func(*app.Service) error) error { return s.current().With(fn) }
func (s *swapHandle) DataDir() string                        { return s.current().DataDir() }
func (s *swapHandle) Close() error                           { return s.current().Close() }
func (s *swapHandle) Restore(path string, p app.Progress) (*app.Service, error) {
	return s.current().Restore(path, p)
}

var _ app.Servers = (*desk)(nil)
