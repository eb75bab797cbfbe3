package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/secrets"
)

// TestDeskMovesUpAndRemembersTheServer moves a one-desk office to the run's
// PostgreSQL cluster through the desk (app.Servers, as Cài đặt → Máy chủ
// does), then starts again from the data folder alone: the desk opens the
// server it kept, the password is among the secrets and in no file or log
// line, and the day's numbering continues.
func TestDeskMovesUpAndRemembersTheServer(t *testing.T) {
	const secret = "Mật-khẩu-máy-chủ-7"
	buf := captureLog(t)
	dir := t.TempDir()
	cfg, err := parseFlags([]string{"--data", dir}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := openHandle(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(&swapHandle{h: h}, dir)
	defer func() { d.Close() }()
	if d.Shared() {
		t.Fatal("a new desk starts on a server")
	}
	svc := d.Service()
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài", Roles: app.AllRoles()},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Nguyễn Thị Ánh Hằng", IDType: app.IDCCCD, IDNumber: "022190001234"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
	first, err := svc.Receive(admin, in)
	if err != nil {
		t.Fatal(err)
	}

	dsn := pgtest.DSN(t)
	c := app.ServerConn{Host: pgtest.Shared().Dir, Port: pgtest.Shared().Port, User: "motcua", Password: secret, TLS: app.TLSDisable,
		Database: regexp.MustCompile(`dbname=(\S+)`).FindStringSubmatch(dsn)[1]}
	missing := c
	missing.Database = "khong_co"
	if _, err := d.Use(missing); app.KindOf(err) != app.KindNotFound || d.Shared() {
		t.Errorf("a missing database: %v (switched %v)", err, d.Shared())
	}
	info, err := d.Test(context.Background(), c)
	if err != nil || info.Office || !strings.HasPrefix(info.Version, "1") {
		t.Fatalf("test: %+v %v", info, err)
	}
	var last [2]int64
	rep, svc2, err := d.MoveUp(c, func(done, total int64) { last = [2]int64{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("moved: %s", rep.Moved)
	if !d.Shared() || svc2 != d.Service() || !rep.Integrity.OK() || last != [2]int64{1, 1} {
		t.Fatalf("after the move: shared %v, integrity %+v, progress %v", d.Shared(), rep.Integrity, last)
	}
	if info, _ := d.Test(context.Background(), c); !info.Office || info.AgencyName != "UBND xã Tân Lập" {
		t.Errorf("the server after the move: %+v", info)
	}
	if _, _, err := d.MoveUp(c, nil); err == nil {
		t.Error("a desk on the server moved up again")
	}

	conf, err := os.ReadFile(filepath.Join(dir, serverFile))
	if err != nil || !strings.Contains(string(conf), "dbname='"+c.Database+"'") {
		t.Fatalf("%s: %q %v", serverFile, conf, err)
	}
	if kept, _ := secrets.Open(dir).Secret(secretDBPassword); kept != secret {
		t.Errorf("the password among the secrets: %q", kept)
	}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && !strings.Contains(p, "secrets") {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds the password", p)
			}
		}
		return nil
	})
	if strings.Contains(buf.String(), secret) {
		t.Error("the log holds the password")
	}
	d.Close()

	// The next start: nothing on the command line.
	cfg, err = parseFlags([]string{"--data", dir}, &bytes.Buffer{})
	if err != nil || !cfg.savedDB {
		t.Fatalf("the kept server is not used: %+v %v", cfg, err)
	}
	h, err = openHandle(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d = newDesk(&swapHandle{h: h}, dir)
	if !d.Shared() {
		t.Fatal("the desk did not open the kept server")
	}
	usr, err := d.Service().SignIn("admin", "mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	next, err := d.Service().Receive(usr, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(first.Code, "0001") + "0002"; next.Code != want {
		t.Errorf("the first code on the server: %s, want %s", next.Code, want)
	}
}

func TestSplitPassword(t *testing.T) {
	for _, c := range []struct{ dsn, pw, rest string }{
		{"postgres://motcua:b%C3%AD%20m%E1%BA%ADt@may-chu:5432/motcua?sslmode=require", "bí mật", "postgres://motcua@may-chu:5432/motcua?sslmode=require"},
		{"postgres://motcua@may-chu/motcua?password=abc&sslmode=disable", "abc", "postgres://motcua@may-chu/motcua?sslmode=disable"},
		{`host=may-chu dbname=motcua password='o\'k mật' sslmode=prefer`, "o'k mật", "host=may-chu dbname=motcua sslmode=prefer"},
		{"host=may-chu password=abc", "abc", "host=may-chu"},
		{"host=may-chu dbname=motcua", "", "host=may-chu dbname=motcua"},
	} {
		pw, has, rest := splitPassword(c.dsn)
		if pw != c.pw || has != (c.pw != "") || rest != c.rest {
			t.Errorf("splitPassword(%s) = %q %v %q, want %q %q", c.dsn, pw, has, rest, c.pw, c.rest)
		}
	}
}
