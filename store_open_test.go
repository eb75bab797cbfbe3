package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// captureLog sends logrus to a buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	out, lvl := logrus.StandardLogger().Out, logrus.GetLevel()
	logrus.SetOutput(&buf)
	logrus.SetLevel(logrus.DebugLevel)
	t.Cleanup(func() { logrus.SetOutput(out); logrus.SetLevel(lvl) })
	return &buf
}

// TestOpenStorePostgresPasswordNeverLogged opens the run's private
// PostgreSQL cluster through --db with a password in both connection string
// forms, and a server that cannot be reached: the log and the errors name
// the server, never the password.
func TestOpenStorePostgresPasswordNeverLogged(t *testing.T) {
	const secret = "Bí-mật-Ô-cửa-42"
	dsn := pgtest.DSN(t) // host=DIR port=P user=motcua dbname=X sslmode=disable
	fields := map[string]string{}
	for _, kv := range strings.Fields(dsn) {
		k, v, _ := strings.Cut(kv, "=")
		fields[k] = v
	}
	asURL := fmt.Sprintf("postgres://motcua:%s@/%s?host=%s&port=%s&sslmode=disable",
		url.QueryEscape(secret), fields["dbname"], url.QueryEscape(fields["host"]), fields["port"])
	for _, db := range []string{dsn + " password='" + secret + "'", asURL} {
		buf := captureLog(t)
		cfg, err := parseFlags([]string{"--data", t.TempDir(), "--db", db}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		data, err := openHandle(cfg)
		if err != nil {
			t.Fatalf("%s: %v", storeLabel(db, ""), err)
		}
		svc := data.Service()
		if ok, err := svc.IsSetUp(); err != nil || ok {
			t.Errorf("a fresh database: set up %v, %v", ok, err)
		}
		if _, err := data.Restore("motcua.db", nil); !app.Is(err, app.KindInvalid) || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("file restore on a shared store: %v", err)
		}
		if err := svc.VerifyBackup("motcua.db", nil); !app.Is(err, app.KindInvalid) || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("file backups on a shared store: %v", err)
		}
		if err := data.Close(); err != nil {
			t.Fatal(err)
		}
		log := buf.String()
		if strings.Contains(log, secret) || strings.Contains(log, url.QueryEscape(secret)) {
			t.Errorf("the log holds the password:\n%s", log)
		}
		if !strings.Contains(log, "xxxxx") || !strings.Contains(log, fields["dbname"]) {
			t.Errorf("the log does not name the database (password masked):\n%s", log)
		}
	}

	// A server that is not there: a Vietnamese error without the password.
	buf := captureLog(t)
	bad := "postgres://motcua:" + url.QueryEscape(secret) + "@127.0.0.1:1/motcua?connect_timeout=2&sslmode=disable"
	_, _, err := openStore(bad, t.TempDir())
	if err == nil {
		t.Fatal("a server on port 1 answered")
	}
	for _, s := range []string{err.Error(), buf.String()} {
		if strings.Contains(s, secret) || strings.Contains(s, url.QueryEscape(secret)) {
			t.Errorf("the password leaks: %s", s)
		}
	}
	if !app.Is(err, app.KindTransient) || !strings.Contains(err.Error(), "Không kết nối được máy chủ PostgreSQL") {
		t.Errorf("unreachable server: %v", err)
	}
}

// TestHelpDoesNotPrintThePassword: MOTCUA_DB is read after the flags, so
// --help never shows it.
func TestHelpDoesNotPrintThePassword(t *testing.T) {
	t.Setenv("MOTCUA_DB", "postgres://motcua:khong-in-ra@may-chu/motcua")
	var out bytes.Buffer
	parseFlags([]string{"--help"}, &out)
	if strings.Contains(out.String(), "khong-in-ra") || !strings.Contains(out.String(), "-db") {
		t.Errorf("--help:\n%s", out.String())
	}
	cfg, err := parseFlags(nil, &out)
	if err != nil || cfg.db != "postgres://motcua:khong-in-ra@may-chu/motcua" {
		t.Errorf("MOTCUA_DB not used: %q, %v", cfg.db, err)
	}
}

func TestStoreLabel(t *testing.T) {
	for in, want := range map[string]string{
		"":               "/d/motcua.db",
		"/srv/motcua.db": "/srv/motcua.db",
		"postgres://u:p@h:5432/db?sslmode=require":       "postgres://u:xxxxx@h:5432/db?sslmode=require",
		"host=h user=u password=p dbname=db":             "host=h user=u password=xxxxx dbname=db",
		"host=h user=u password='p q' dbname=db":         "host=h user=u password=xxxxx dbname=db",
		"postgresql://u@h/db?password=p&sslmode=disable": "postgresql://u@h/db?password=xxxxx&sslmode=disable",
	} {
		if got := storeLabel(in, "/d"); got != want {
			t.Errorf("storeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMigrateTo moves a one-desk office (a bbolt file in the data folder,
// set up and with a receipt) to an empty PostgreSQL database the way
// "motcua --migrate-to" does, then opens it the way "--db" does.
func TestMigrateTo(t *testing.T) {
	const secret = "mat-khau-chuyen"
	dataDir := t.TempDir()
	store, closeStore, err := openStore("", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.NewService(store, app.SystemClock{})
	admin, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài", Roles: []app.Role{app.RoleReceiver}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Receive(admin, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Nguyễn Thị Ánh Hằng", IDType: app.IDCCCD, IDNumber: "022190001234"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	// While this program has the file open, the move refuses clearly.
	dsn := pgtest.DSN(t) + " password=" + secret
	var out bytes.Buffer
	if code := moveUp(dataDir, dsn, &out); code == 0 || !strings.Contains(out.String(), "Không chuyển được dữ liệu") {
		t.Errorf("move of an open file: %d %s", code, out.String())
	}
	closeStore()

	out.Reset()
	if code := moveUp(dataDir, dsn, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	t.Log(out.String())
	if !strings.Contains(out.String(), "1 hồ sơ") || !strings.Contains(out.String(), "Kiểm tra toàn vẹn trên máy chủ: đạt") ||
		strings.Contains(out.String(), secret) {
		t.Errorf("output:\n%s", out.String())
	}
	pg, closePG, err := openStore(dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer closePG()
	got, err := app.NewService(pg, app.SystemClock{}).Dossier(d.Code)
	if err != nil || got.Applicant.FullName != "Nguyễn Thị Ánh Hằng" || len(got.History) != 1 {
		t.Errorf("moved dossier: %+v, %v", got, err)
	}
	// The data folder now opens the server by itself; the password is
	// among the secrets, not in server.conf.
	conf, err := os.ReadFile(filepath.Join(dataDir, serverFile))
	if err != nil || strings.Contains(string(conf), secret) || !strings.Contains(string(conf), "dbname=") {
		t.Errorf("server.conf: %q %v", conf, err)
	}
	cfg, err := parseFlags([]string{"--data", dataDir}, &bytes.Buffer{})
	if err != nil || !cfg.savedDB {
		t.Fatalf("after --migrate-to the data folder does not name the server: %+v %v", cfg, err)
	}
	h, err := openHandle(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.(*sharedHandle); !ok {
		t.Errorf("the next start opens %T, not the server", h)
	}
	if _, err := h.Service().Dossier(d.Code); err != nil {
		t.Errorf("the next start: %v", err)
	}
	h.Close()
	// Moving again into the used database is refused.
	out.Reset()
	if code := moveUp(dataDir, dsn, &out); code == 0 || !strings.Contains(out.String(), "đã có dữ liệu") {
		t.Errorf("second move: %d %s", code, out.String())
	}
}
